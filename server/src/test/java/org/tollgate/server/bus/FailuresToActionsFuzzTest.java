package org.tollgate.server.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import org.tollgate.banner.action.BanOutcome;
import org.tollgate.banner.enforce.Enforcer;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.banner.action.AcceptingFirewall;
import org.tollgate.testkit.Fuzzing;

/**
 * Fuzzed log lines (the normalizer's corpus, mutated: {@link Fuzzing}) down the whole path to a firewall: normalizer,
 * failure, jails, enforcer, action. The jail bans on the first failure and counts every source, trusted or not, so
 * whatever address text the normalizer lets through reaches the action. Every address an action is handed must be an
 * IP literal in canonical form. The same inputs in every build, a few seconds; {@code -Dfuzz.seed=random
 * -Dfuzz.seconds=600} searches further.
 */
class FailuresToActionsFuzzTest {

    private static final Path CORPUS = Path.of("..", "normalizer", "src", "test", "resources", "corpus");
    private static final Instant NOW = Instant.parse("2026-01-20T12:00:00Z");

    /** An action that only keeps what it is handed. */
    private static final class RecordingAction extends AcceptingFirewall {
        final List<String> banned = new ArrayList<>();

        RecordingAction() {
            super("recording");
        }

        @Override
        public BanOutcome ban(List<Ban> bans) {
            bans.forEach(ban -> banned.add(ban.ip()));
            return allApplied(bans);
        }
    }

    @Example
    void everyAddressAnActionSeesIsACanonicalIpLiteral() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        NormalizerOptions options = new NormalizerOptions(ZoneOffset.UTC, NOW, false, null, clock);
        JailSettings jail = JailSettings.builder("any").maxretry(1).findtime(Duration.ofDays(3650))
                .bantime(Duration.ofHours(1)).ignoreself(false).trust(JailSettings.Trust.ANY)
                .actions(List.of(new ActionSettings("log", Map.of(), 1))).build();
        RecordingAction action = new RecordingAction();
        List<String> lines = Fuzzing.lines(CORPUS);
        long[] failures = {0};
        try (BanStore store = BanStore.inMemory(clock)) {
            Enforcer enforcer = new Enforcer(new Jails(List.of(jail), clock, new SplittableRandom(1),
                    new InMemoryBanHistory(), HostAddresses.none()), store, clock, settings -> action);
            enforcer.start();
            long count = Fuzzing.run("failures to actions", Fuzzing.mutated(lines).list().ofMinSize(1).ofMaxSize(10),
                    Fuzzing.budget(3_000), batch -> {
                        Normalizer normalizer = new Normalizer(options);
                        List<Failure> found = new ArrayList<>();
                        for (String line : batch) {
                            if (normalizer.normalize(line) instanceof ParseResult.Parsed parsed) {
                                addFailure(found, parsed.event());
                            }
                            addFailure(found, new Normalizer(options).normalizeSecurity(line));
                        }
                        failures[0] += found.size();
                        action.banned.clear();
                        enforcer.onFailures(found);
                        for (String ip : action.banned) {
                            assertThat(IpLiteral.canonical(ip)).as("an address handed to the action").isEqualTo(ip);
                        }
                    });
            System.out.printf("fuzz failures to actions: %,d batches, %,d failures to the jails, %,d bans in force%n",
                    count, failures[0], enforcer.status().bans().size());
            assertThat(failures[0]).as("failures the fuzzed lines gave").isPositive();
            enforcer.close();
        }
    }

    private static void addFailure(List<Failure> found, AsteriskEvent event) {
        Failure failure = event == null ? null : FailureFromEvent.of(event);
        if (failure != null) {
            found.add(failure);
        }
    }
}
