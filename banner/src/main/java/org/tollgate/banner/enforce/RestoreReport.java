package org.tollgate.banner.enforce;

/**
 * What {@link Enforcer#start()} found and did.
 *
 * @param restored      stored bans still in force, put back in their jails
 * @param expired       stored bans that ended while Tollgate was down, lifted from the firewall
 * @param orphaned      stored bans of jails no longer running, dropped from the store; their firewall entries are
 *                      left to their kernel timeouts, since nothing says which actions held them
 * @param reapplied     addresses put back in a firewall that had lost them, per action
 * @param failed        addresses that could not be put back or lifted, per action; they are being retried
 * @param setUpFailures actions whose {@code setUp} failed (each ban call creates the set or table again)
 */
public record RestoreReport(int restored, int expired, int orphaned, int reapplied, int failed, int setUpFailures) {
}
