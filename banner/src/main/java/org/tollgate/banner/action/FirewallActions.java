package org.tollgate.banner.action;

import java.time.InstantSource;
import org.tollgate.banner.jail.ActionSettings;

/** Builds the firewall action an {@code actions} entry of tollgate.yaml names. */
public final class FirewallActions {

    /**
     * Bans per family up to which each is checked with its own query ({@code ipset test}, {@code iptables -C},
     * {@code --query-entry}); above it, one listing of the whole set is cheaper than a process per address.
     */
    static final int CHECK_ONE_BY_ONE_UP_TO = 16;

    private FirewallActions() {
    }

    /**
     * The action for {@code settings}, running its tools through {@code runner}.
     *
     * @throws org.tollgate.banner.config.ConfigException when a parameter is unknown or its value is not allowed
     */
    public static FirewallAction create(ActionSettings settings, CommandRunner runner) {
        return create(settings, runner, InstantSource.system());
    }

    /**
     * Checks every parameter of {@code settings} as building the action does, without running anything: what the
     * configuration reader calls at load, before anything is opened.
     *
     * @throws org.tollgate.banner.config.ConfigException when a parameter is unknown or its value is not allowed
     */
    public static void check(ActionSettings settings) {
        // The actions' constructors only read their parameters; no tool runs before setUp.
        FirewallAction action = create(settings, new CommandRunner(), InstantSource.system());
        try {
            action.close();
        } catch (ActionException e) {
            // Nothing was started, so nothing is left open.
        }
    }

    /** As {@link #create(ActionSettings, CommandRunner)}, with the clock that turns ban ends into kernel timeouts. */
    public static FirewallAction create(ActionSettings settings, CommandRunner runner, InstantSource clock) {
        return switch (settings.type()) {
            case IpsetAction.TYPE -> new IpsetAction(settings, runner, clock);
            case NftablesAction.TYPE -> new NftablesAction(settings, runner, clock);
            case IptablesAllportsAction.TYPE -> new IptablesAllportsAction(settings, runner);
            case FirewalldRichRuleAction.TYPE -> new FirewalldRichRuleAction(settings, runner);
            case FirewalldIpsetAction.TYPE -> new FirewalldIpsetAction(settings, runner);
            case ConntrackAction.TYPE -> new ConntrackAction(settings, runner);
            case LogAction.TYPE -> new LogAction(settings);
            default -> throw new IllegalArgumentException("no firewall action of type '" + settings.type() + "'");
        };
    }
}
