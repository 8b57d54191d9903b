package org.tollgate.normalizer.message;

/** Where the address in a message came from, which decides whether anything may ban on it. */
public enum AddressOrigin {
    /** The packet's or connection's source as the kernel gave it. Trustworthy. */
    TRANSPORT("transport", true),
    /** chan_sip's {@code p->sa}: the transport source unless the top Via's {@code maddr=} replaced it. Attacker-selectable. */
    VIA("via", false),
    /** Text the sender wrote: a From, To or Contact header. Never ban on it. */
    HEADER("header", false),
    /**
     * The {@code (ip:port)} suffix a Tollgate chan_sip patch appends. Trustworthy only on a host that runs the patch,
     * because an unpatched line whose From header ends the same way reads the same.
     */
    PATCH("patch", false),
    /** A dialplan {@code Log()} line: whatever address the site's dialplan chose to print. */
    DIALPLAN("dialplan", true),
    /**
     * What a user's fail2ban filter took from a line no catalog message knows ({@code <HOST>}): only the filter's
     * author knows whether it is the peer, so only a jail with {@code trust: custom} (or {@code any}) counts it.
     */
    FILTER("filter", false);

    private final String id;
    private final boolean trustedByDefault;

    AddressOrigin(String id, boolean trustedByDefault) {
        this.id = id;
        this.trustedByDefault = trustedByDefault;
    }

    public String id() {
        return id;
    }

    public boolean trustedByDefault() {
        return trustedByDefault;
    }
}
