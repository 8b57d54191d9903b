package org.tollgate.banner.enforce;

/**
 * What one {@link Enforcer#reconcile()} did.
 *
 * @param checked   addresses asked about, per action
 * @param reapplied addresses that were missing and are in force again, per action
 * @param failed    addresses that were missing and could not be put back, per action; they are being retried
 * @param unchecked actions that could not say what they hold (their tool failed); tried again next time
 */
public record ReconcileReport(int checked, int reapplied, int failed, int unchecked) {
}
