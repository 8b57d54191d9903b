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
import org.tollgate.banner.action.AcceptingFirewall;
import org.tollgate.banner.action.FirewallAction;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.Failure;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Jails;
import org.tollgate.banner.store.BanStore;

/**
 * A dry run at start-up through the code a ban takes, so that the first ban after start is as fast as later ones
 * (cold, it took 100-150 ms: classes loaded, code interpreted, the firewall tool's session started on demand):
 * <ol>
 *   <li>{@link #ROUNDS} rounds of a throwaway enforcer ({@link Enforcer#dryRun}): throwaway copies of the jails fed
 *       failures of documentation addresses until they ban, each ban tracked, written to a throwaway in-memory store
 *       with its firewall round and settled, through actions that only say "applied" ({@link AcceptingFirewall});</li>
 *   <li>the real store's statements run on its own connection, on the enforcer's thread where a ban's write is made,
 *       in a transaction rolled back
 *       ({@link BanStore#rehearse});</li>
 *   <li>each usable action asked whether two documentation addresses are banned
 *       ({@link FirewallAction#warmUp}), which starts its tool session; the ipset action also rehearses a ban's add
 *       through it on a throwaway set that no rule matches, made and destroyed at once.</li>
 * </ol>
 * No entry of a set or table in use is added or removed, no row of the state store is written, and the running jails
 * see nothing.
 */
final class WarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

    /** The addresses asked about: documentation ranges (RFC 5737, RFC 3849), one per family. */
    static final List<String> PROBES = List.of("192.0.2.0", "2001:db8::");
    /** Rounds of the throwaway enforcer, each banning a new address of each family in every jail that bans them. */
    static final int ROUNDS = 48;
    /** Failures fed to the throwaway jails per address and action name at most: past any jail's maxretry. */
    private static final int FAILURES = 64;
    /** Failure action names the jails count, one of each family of message. */
    private static final List<String> ACTIONS = List.of("auth-failed", "registration-failed", "ami-login-failed",
            "call-rejected-unknown-extension", "security-invalid-password");

    private WarmUp() {
    }

    /** Returns how many bans the throwaway enforcer made. */
    static int run(List<JailSettings> jails, ActionRouting routing, BanWrites writes, InstantSource clock) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        int bans = dryRounds(jails, clock);
        List<Ban> probes = new ArrayList<>();
        for (String ip : PROBES) {
            probes.add(new Ban(ip, "warm-up", now, now.plus(Duration.ofMinutes(1)), 1, 1));
        }
        writes.rehearse(probes);
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
        return bans;
    }

    /** The throwaway enforcer's rounds; returns how many bans it made. */
    private static int dryRounds(List<JailSettings> jails, InstantSource clock) {
        int bans = 0;
        try (BanStore store = BanStore.inMemory(clock);
             Enforcer dry = Enforcer.dryRun(Jails.of(jails, clock), store, clock, settings -> new AcceptingFirewall("dry:" + settings.type() + settings.params()))) {
            for (int round = 0; round < ROUNDS; round++) {
                for (String ip : List.of("192.0.2." + (round + 1), "2001:db8::" + Integer.toHexString(round + 1))) {
                    List<Failure> failures = new ArrayList<>();
                    for (String action : ACTIONS) {
                        for (int i = 0; i < FAILURES; i++) {
                            // Every other failure with an attempt id, as PJSIP's and the security log's lines have,
                            // the first among them: a jail with maxretry 1 bans at the first and counts no other.
                            failures.add(new Failure(clock.instant(), ip, action, true, "100", null,
                                    i % 2 == 0 ? "warm-up-" + round + "-" + i : null));
                        }
                    }
                    bans += dry.onFailures(failures).size();
                }
            }
        } catch (RuntimeException e) {
            LOG.atDebug().addKeyValue(LogFields.REASON, e.toString())
                    .log("warm-up: the throwaway enforcer failed; the first ban starts colder");
        }
        return bans;
    }
}
