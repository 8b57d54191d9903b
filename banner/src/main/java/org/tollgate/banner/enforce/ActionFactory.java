package org.tollgate.banner.enforce;

import java.time.InstantSource;
import java.util.Objects;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.action.FirewallAction;
import org.tollgate.banner.action.FirewallActions;
import org.tollgate.banner.jail.ActionSettings;

/**
 * Builds the firewall action for one {@code actions} entry of a jail. The {@link Enforcer} calls it once per distinct
 * entry (type and parameters): two jails that name the same ipset share one action. Tests inject their own.
 */
@FunctionalInterface
public interface ActionFactory {

    /**
     * The action for {@code settings}.
     *
     * @throws org.tollgate.banner.config.ConfigException when a parameter is unknown or its value is not allowed
     */
    FirewallAction create(ActionSettings settings);

    /** The real actions of {@link FirewallActions}, running their tools through {@code runner}. */
    static ActionFactory firewall(CommandRunner runner, InstantSource clock) {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(clock, "clock");
        return settings -> FirewallActions.create(settings, runner, clock);
    }
}
