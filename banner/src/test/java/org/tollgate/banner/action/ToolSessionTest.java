package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ToolSession} against a small Python program playing an interactive tool: a prompt after each answer. */
class ToolSessionTest {

    private static final String PROMPT = "tool> ";
    /** Echoes each line back as "said <line>", says nothing for "quiet", exits on "bye", never prompts after "hang". */
    private static final List<String> TOOL = List.of("python3", "-u", "-c", String.join("\n",
            "import sys",
            "sys.stdout.write('" + PROMPT + "')",
            "for line in sys.stdin:",
            "    line = line.rstrip('\\n')",
            "    if line == 'bye': break",
            "    if line == 'hang': continue",
            "    if line == 'big': sys.stdout.write('x' * 200000)",
            "    elif line != 'quiet': sys.stdout.write('said ' + line + '\\n')",
            "    sys.stdout.write('" + PROMPT + "')"));

    /**
     * Like {@code nft -i} on a pipe: no prompt, silent on success, "Error: ...", the line echoed and a caret line on
     * failure; fails every line starting with "fail" or "sentinel", prints the rest of a line starting with "say ".
     */
    private static final List<String> SILENT_TOOL = List.of("python3", "-u", "-c", String.join("\n",
            "import sys",
            "for line in sys.stdin:",
            "    line = line.rstrip('\\n')",
            "    if line.startswith('say '): sys.stdout.write(line[4:] + '\\n')",
            "    elif line.startswith('fail') or line.startswith('sentinel'):",
            "        sys.stderr.write('Error: no such thing\\n' + line + '\\n' + '^' * len(line) + '\\n')",
            "        sys.stderr.flush()"));

    /**
     * The start of a Python tool takes most of a second on some machines (a version manager's shim), much more on a
     * busy one: it gets a generous limit of its own. An answer of a working tool comes at once.
     */
    private static final Duration START = Duration.ofSeconds(60);
    /** For answers that never come: any limit gives the same outcome, a short one only ends the test sooner. */
    private static final Duration NEVER_ANSWERED = Duration.ofSeconds(1);

    private static ToolSession startSilent() throws ActionException {
        return ToolSession.startWithSentinel(SILENT_TOOL, n -> "sentinel " + n, START, START);
    }

    private ToolSession start(Duration answerTimeout) throws ActionException {
        return ToolSession.start(TOOL, PROMPT, START, answerTimeout);
    }

    @Test
    void eachCommandGetsItsOwnAnswer() throws Exception {
        try (ToolSession session = start(START)) {
            assertThat(session.ask("add 192.0.2.1")).isEqualTo("said add 192.0.2.1\n");
            assertThat(session.ask("quiet")).isEmpty();
            assertThat(session.ask("test 192.0.2.1")).isEqualTo("said test 192.0.2.1\n");
            assertThat(session.open()).isTrue();
        }
    }

    @Test
    void aLineBreakWouldBeTwoCommandsAndIsRefused() throws Exception {
        try (ToolSession session = start(START)) {
            assertThatThrownBy(() -> session.ask("add 192.0.2.1\nflush")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> session.ask("add 192.0.2.1\rflush")).isInstanceOf(IllegalArgumentException.class);
            assertThat(session.ask("quiet")).isEmpty();
        }
    }

    @Test
    void aToolThatExitsClosesTheSession() throws Exception {
        try (ToolSession session = start(START)) {
            assertThatThrownBy(() -> session.ask("bye")).isInstanceOf(ActionException.class).hasMessageContaining("exited");
            assertThat(session.open()).isFalse();
            assertThatThrownBy(() -> session.ask("quiet")).isInstanceOf(ActionException.class);
        }
    }

    @Test
    void noPromptInTimeClosesTheSession() throws Exception {
        try (ToolSession session = start(NEVER_ANSWERED)) {
            assertThatThrownBy(() -> session.ask("hang")).isInstanceOf(ActionException.class)
                    .hasMessageContaining("no answer within 1000 ms");
            assertThat(session.open()).isFalse();
        }
    }

    /** The answer limit does not bound the start: a tool slower to start than to answer still gets its session. */
    @Test
    void aSlowStartIsWaitedForUnderItsOwnLimit() throws Exception {
        List<String> slow = List.of("sh", "-c", "sleep 2; exec \"$0\" \"$@\"", TOOL.get(0), TOOL.get(1), TOOL.get(2),
                TOOL.get(3));
        try (ToolSession session = ToolSession.start(slow, PROMPT, START, NEVER_ANSWERED)) {
            assertThat(session.ask("add 192.0.2.1")).isEqualTo("said add 192.0.2.1\n");
        }
    }

    @Test
    void anAnswerPastTheLimitClosesTheSession() throws Exception {
        try (ToolSession session = start(START)) {
            assertThatThrownBy(() -> session.ask("big")).isInstanceOf(ActionException.class)
                    .hasMessageContaining("longer than");
            assertThat(session.open()).isFalse();
        }
    }

    @Test
    void aToolThatCannotStartSaysSo() {
        assertThatThrownBy(() -> ToolSession.start(List.of("/nonexistent/tool"), PROMPT, START, START))
                .isInstanceOf(ActionException.class).hasMessageContaining("cannot start");
    }

    @Test
    void aSentinelEndsEachAnswerOfASilentTool() throws Exception {
        try (ToolSession session = startSilent()) {
            assertThat(session.ask("add 192.0.2.1")).isEmpty();
            assertThat(session.ask("fail 192.0.2.2")).isEqualTo("Error: no such thing\nfail 192.0.2.2\n^^^^^^^^^^^^^^\n");
            assertThat(session.ask("say table inet tollgate {")).isEqualTo("table inet tollgate {\n");
            assertThat(session.ask("add 192.0.2.3")).isEmpty();
            assertThat(session.open()).isTrue();
        }
    }

    @Test
    void aSentinelThatDoesNotFailLeavesNoEndAndClosesTheSession() {
        assertThatThrownBy(() -> ToolSession.startWithSentinel(SILENT_TOOL, n -> "add " + n, NEVER_ANSWERED, START))
                .isInstanceOf(ActionException.class).hasMessageContaining("no answer within 1000 ms");
    }
}
