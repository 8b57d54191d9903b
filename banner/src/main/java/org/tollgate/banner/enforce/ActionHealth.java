package org.tollgate.banner.enforce;

/**
 * Whether a firewall action can run at all.
 *
 * @param action  the action's label, such as {@code ipset:tollgate-sip}
 * @param usable  false while a tool it runs is not installed: no call is made, its bans wait
 * @param problem why it is unusable ({@code 'ipset' is not installed (not found on PATH)}), or null
 * @param failing why its calls fail since the last one that worked ({@code ipset restore -exist exited 1}), or null
 *                while they work; its bans are retried meanwhile
 */
public record ActionHealth(String action, boolean usable, String problem, String failing) {

    /** An action whose calls work (or have not been made). */
    public ActionHealth(String action, boolean usable, String problem) {
        this(action, usable, problem, null);
    }
}
