package org.tollgate.banner.enforce;

/** Where one ban stands in one firewall action. */
public enum ActionState {
    /** Not tried yet: a restored ban before its action was checked. */
    PENDING,
    /** In force in that firewall, as far as Tollgate last saw. */
    APPLIED,
    /** The last attempt failed; a retry is scheduled. */
    FAILED
}
