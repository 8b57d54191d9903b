package org.tollgate.banner.action;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.LogFields;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;

/**
 * A dry run: logs each ban and unban it would apply and touches no firewall. Addresses are still checked, so a dry
 * run refuses exactly what a real action would. Nothing is enforced, so nothing is ever missing.
 */
final class LogAction implements FirewallAction {

    static final String TYPE = "log";
    static final Set<String> PARAMS = Set.of();

    private static final Logger LOG = LoggerFactory.getLogger(LogAction.class);

    LogAction(ActionSettings settings) {
        new ActionParams(settings, PARAMS);
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public void setUp() {
        LOG.atInfo().addKeyValue(LogFields.ACTION, name()).log("dry run: firewall actions are logged, not applied");
    }

    @Override
    public BanOutcome ban(List<Ban> bans) {
        return record(bans, "dry run: would ban", true);
    }

    @Override
    public BanOutcome unban(List<Ban> bans) {
        return record(bans, "dry run: would unban", true);
    }

    /** The probes through {@link #ban}'s own code, logging nothing: the first ban's way is not a cold one. */
    @Override
    public void warmUp(Collection<Ban> probes) {
        record(List.copyOf(probes), "warm-up", false);
    }

    private BanOutcome record(List<Ban> bans, String message, boolean log) {
        BanTargets targets = BanTargets.of(bans);
        BanTargets.Outcome outcome = targets.outcome();
        for (Family family : Family.values()) {
            for (Map.Entry<String, Ban> entry : targets.of(family).entrySet()) {
                Ban ban = entry.getValue();
                (log ? LOG.atInfo() : LOG.atTrace())
                        .addKeyValue(LogFields.ACTION, name())
                        .addKeyValue(LogFields.SOURCE_IP, entry.getKey())
                        .addKeyValue(LogFields.JAIL, ban.jail())
                        .addKeyValue(LogFields.BAN_END, ban.permanent() ? "permanent" : ban.end().toString())
                        .log(message);
                outcome.apply(entry.getKey());
            }
        }
        targets.refused().forEach((raw, reason) -> LOG.atWarn()
                .addKeyValue(LogFields.ACTION, name())
                .addKeyValue(LogFields.REASON, reason)
                .log(message + ": address refused"));
        return outcome.build();
    }

    @Override
    public Set<String> missing(Collection<Ban> active) {
        return Set.of();
    }

    @Override
    public void tearDown() {
        // Nothing was created.
    }

    @Override
    public void close() {
        // Nothing held open.
    }
}
