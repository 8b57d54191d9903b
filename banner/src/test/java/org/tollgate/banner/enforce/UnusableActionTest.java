package org.tollgate.banner.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.HostAddresses;
import org.tollgate.banner.jail.InMemoryBanHistory;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;
import org.tollgate.testkit.FakeClock;

/**
 * An action whose tool is not installed is one clear state: unusable in the status, no call made, its bans waiting
 * on the long retry delay, no reconcile warning; once the tool is there the next tick sets it up and its bans follow.
 */
class UnusableActionTest {

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock("2026-03-02T09:00:00Z");

    @Test
    void aMissingToolMakesTheActionUnusableUntilItIsInstalled() throws Exception {
        Path tool = dir.resolve("ipset");
        RecordingAction recorder = new RecordingAction(new InMemoryFirewall("ipset:tollgate-sip")) {
            @Override
            public List<String> tools() {
                return List.of(tool.toString());
            }
        };
        JailSettings jail = JailSettings.builder("sip-auth").maxretry(1).bantime(Duration.ofHours(1)).ignoreself(false)
                .actions(List.of(new ActionSettings("ipset", Map.of("set", "tollgate-sip"), 1))).build();
        Jails jails = new Jails(List.of(jail), clock, new SplittableRandom(1), new InMemoryBanHistory(),
                HostAddresses.none());
        try (BanStore store = BanStore.inMemory(clock);
             Enforcer enforcer = new Enforcer(jails, store, clock, entry -> recorder)) {
            enforcer.start();
            assertThat(enforcer.status().actions()).containsExactly(new ActionHealth("ipset:tollgate-sip", false,
                    "'" + tool + "' is not installed (not found on PATH)"));

            enforcer.ban("192.0.2.10", "sip-auth");
            assertThat(recorder.calls()).as("no call to a tool that is not there").isEmpty();
            BanStatus ban = enforcer.status().bans().get(0);
            assertThat(ban.applied()).isFalse();
            assertThat(ban.actions().get(0).lastError()).contains("is not installed");
            assertThat(enforcer.nextRetry()).as("the long delay, not one second")
                    .hasValue(clock.instant().plus(EnforcerOptions.DEFAULT_LONGEST_RETRY));

            ReconcileReport reconciled = enforcer.reconcile();
            assertThat(reconciled.unchecked()).as("not asked, so no 'cannot list' warning").isZero();
            assertThat(recorder.calls()).isEmpty();

            enforcer.retryDue(clock.advance(Duration.ofSeconds(1)));
            assertThat(recorder.calls()).as("still not there: nothing run").isEmpty();

            Files.writeString(tool, "#!/bin/sh\n");
            Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
            enforcer.retryDue(clock.advance(Duration.ofSeconds(1)));

            assertThat(enforcer.status().actions().get(0).usable()).isTrue();
            assertThat(recorder.calls("ban")).containsExactly(List.of("192.0.2.10"));
            assertThat(enforcer.status().bans().get(0).applied()).isTrue();
        }
    }
}
