package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollgate.testkit.FakeClock;

class KeptSessionTest {

    private final FakeClock clock = new FakeClock("2026-01-18T17:00:00Z");
    private final List<ScriptedSession> started = new ArrayList<>();
    private boolean startFails;

    private KeptSession kept(int maxLines) {
        return new KeptSession("test:action", "tool", () -> {
            if (startFails) {
                throw new ActionException("tool: cannot start");
            }
            ScriptedSession session = new ScriptedSession();
            started.add(session);
            return session;
        }, maxLines, clock);
    }

    @Test
    void oneSessionAnswersUntilItFailsThenANewOneStarts() {
        KeptSession kept = kept(100);
        assertThat(kept.running()).isFalse();

        assertThat(kept.ask("one")).isEqualTo("said one");
        assertThat(kept.ask("two")).isEqualTo("said two");
        assertThat(started).hasSize(1);

        assertThat(kept.ask("fail")).isNull();
        assertThat(kept.running()).isFalse();
        assertThat(kept.ask("three")).isEqualTo("said three");
        assertThat(started).hasSize(2);
        assertThat(started.get(0).open()).isFalse();
    }

    @Test
    void aSessionIsReplacedAfterItsLines() {
        KeptSession kept = kept(2);
        kept.ask("one");
        kept.ask("two");

        assertThat(kept.running()).isFalse();
        assertThat(kept.ask("three")).isEqualTo("said three");
        assertThat(started).hasSize(2);
        assertThat(started.get(0).open()).as("the replaced session is closed").isFalse();
    }

    @Test
    void aSessionThatCannotStartIsNotTriedAgainForAWhile() {
        KeptSession kept = kept(100);
        startFails = true;
        assertThat(kept.ask("one")).isNull();

        startFails = false;
        clock.advance(KeptSession.RETRY.minus(Duration.ofSeconds(1)));
        assertThat(kept.ask("two")).isNull();
        assertThat(started).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(kept.ask("three")).isEqualTo("said three");
    }

    @Test
    void closeEndsTheSessionAndTheNextAskStartsOne() {
        KeptSession kept = kept(100);
        kept.ask("one");
        kept.close();

        assertThat(started.get(0).open()).isFalse();
        assertThat(kept.ask("two")).isEqualTo("said two");
        assertThat(started).hasSize(2);
    }

    /** Answers "said <line>"; "fail" fails it, as a tool that died would. */
    private static final class ScriptedSession implements CommandRunner.Session {
        private boolean open = true;

        @Override
        public String ask(String line) throws ActionException {
            if (line.equals("fail")) {
                open = false;
                throw new ActionException("tool: exited");
            }
            return "said " + line;
        }

        @Override
        public boolean open() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
