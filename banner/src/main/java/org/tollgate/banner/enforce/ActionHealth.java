package org.tollgate.banner.enforce;

/**
 * Whether a firewall action can run at all.
 *
 * @param action  the action's label, such as {@code ipset:tollgate-sip}
 * @param usable  false while a tool it runs is not installed: no call is made, its bans wait
 * @param problem why it is unusable ({@code 'ipset' is not installed (not found on PATH)}), or null
 */
public record ActionHealth(String action, boolean usable, String problem) {
}
