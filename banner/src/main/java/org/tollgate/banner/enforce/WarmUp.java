package org.tollgate.banner.enforce;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.LogFields;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;

/**
 * A dry run at start-up through the code a ban takes, so that the first ban after start is as fast as later ones
 * (cold, it took 100-150 ms: classes loaded, code interpreted, the firewall tool's session started on demand):
 * failures through throwaway copies of the jails until they ban, the bans written to and deleted from a throwaway
 * in-memory store (the SQLite driver's statements, as a ban's write before its action), then each usable action asked
 * whether two documentation addresses are banned ({@link org.tollgate.banner.action.FirewallAction#warmUp}), which
 * starts its tool session and reads, never writes: no firewall entry is added or removed, no row of the state store
 * is written, and the running jails see nothing.
 */
final class WarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

    /** The addresses asked about: documentation ranges (RFC 5737, RFC 3849), one per family. */
    static final List<String> PROBES = List.of("192.0.2.0", "2001:db8::");
    /** Failures fed to the throwaway jails per probe address and action name. */
    private static final int FAILURES = 64;
    /** Failure action names the jails count, one of each family of message. */
    private static final List<String> ACTIONS = List.of("auth-failed", "registration-failed", "ami-login-failed",
            "call-rejected-unknown-extension", "security-invalid-password");

    private WarmUp() {
    }

    static void run(List<JailSettings> jails, ActionRouting routing, InstantSource clock) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        Jails copies = Jails.of(jails, clock);
        int bans = 0;
        for (String ip : PROBES) {
            for (String action : ACTIONS) {
                for (int i = 0; i < FAILURES; i++) {
                    // Every other failure with an attempt id, as PJSIP's and the security log's lines have.
                    bans += copies.offer(new Failure(now, ip, action, true, "100", null,
                            i % 2 == 0 ? null : "warm-up-" + i)).size();
                }
            }
        }
        List<Ban> probes = new ArrayList<>();
        for (String ip : PROBES) {
            probes.add(new Ban(ip, "warm-up", now, now.plus(Duration.ofMinutes(1)), 1, 1));
        }
        try (BanStore store = BanStore.inMemory(clock)) {
            for (Ban probe : probes) {
                store.save(probe);
            }
            store.markApplied(probes);
            store.active(now);
            store.removeAll(probes);
        } catch (RuntimeException e) {
            LOG.atDebug().addKeyValue(LogFields.REASON, e.getMessage())
                    .log("warm-up: the throwaway store failed; the first ban's write starts cold");
        }
        for (ConfiguredAction action : routing.actions()) {
            if (!action.usable()) {
                continue;
            }
            try {
                action.firewall().warmUp(probes);
            } catch (ActionException | RuntimeException e) {
                LOG.atDebug().addKeyValue(LogFields.ACTION, action.label()).addKeyValue(LogFields.REASON,
                        e.getMessage()).log("warm-up: the action's question failed; its first ban starts cold");
            }
        }
        LOG.atDebug().addKeyValue(LogFields.COUNT, bans).addKeyValue(LogFields.DURATION_MS, (System.nanoTime() - started) / 1_000_000)
                .log("warm-up: ban path run dry");
    }
}
