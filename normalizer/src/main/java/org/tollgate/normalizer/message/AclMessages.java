package org.tollgate.normalizer.message;

import static org.tollgate.normalizer.message.Text.at;

import org.tollgate.normalizer.address.Endpoint;

/**
 * Named-ACL refusals (catalog L1, L2; 11+): {@code <caller prefix>Rejecting '<addr>' due to a failure to pass ACL '<name>'}.
 * The caller's prefix says which address was checked: the transport source, or a Contact or SDP address the sender
 * wrote.
 */
final class AclMessages {

    private record Caller(String prefix, String provider, AddressOrigin origin) {
    }

    private static final Caller[] CALLERS = {
        new Caller("SIP Peer ACL: ", ChanSipMessages.PROVIDER, AddressOrigin.TRANSPORT),
        new Caller("SIP contact ACL: ", ChanSipMessages.PROVIDER, AddressOrigin.HEADER),
        new Caller("SIP Direct Media ACL: ", ChanSipMessages.PROVIDER, AddressOrigin.HEADER),
        new Caller("SIP ACL: ", PjsipMessages.PROVIDER, AddressOrigin.TRANSPORT),
        new Caller("SIP Contact ACL: ", PjsipMessages.PROVIDER, AddressOrigin.HEADER),
        new Caller("IAX2 user ACL: ", Iax2Messages.PROVIDER, AddressOrigin.TRANSPORT),
        new Caller("IAX2 Peer ACL: ", Iax2Messages.PROVIDER, AddressOrigin.TRANSPORT),
        new Caller("Manager User ACL: ", ManagerMessages.PROVIDER, AddressOrigin.TRANSPORT),
        new Caller("Manager User ACL:", ManagerMessages.PROVIDER, AddressOrigin.TRANSPORT),
        new Caller("ARI User ACL", "res_ari", AddressOrigin.TRANSPORT),
    };

    private static final String REJECTING = "Rejecting '";
    private static final String FAILED = "' due to a failure to pass ACL '";
    private static final String INVALID = "' due to use of an invalid ACL '";

    private AclMessages() {
    }

    static Finding parse(String t, int s) {
        if (!at(t, s, "SIP ") && !at(t, s, "IAX2 ") && !at(t, s, "Manager User ACL") && !at(t, s, "ARI User ACL")) {
            return null; // most lines: one look instead of one per caller
        }
        for (Caller caller : CALLERS) {
            if (at(t, s, caller.prefix) && at(t, s + caller.prefix.length(), REJECTING)) {
                return rejecting(t, s + caller.prefix.length() + REJECTING.length(), caller);
            }
        }
        return null;
    }

    private static Finding rejecting(String t, int addrStart, Caller caller) {
        int failed = t.indexOf(FAILED, addrStart);
        boolean invalid = false;
        if (failed < 0) {
            failed = t.indexOf(INVALID, addrStart);
            invalid = true;
        }
        if (failed < 0) {
            return null;
        }
        Endpoint source = Text.endpoint(t, addrStart, failed);
        if (source == null && !Text.isAddressField(t, addrStart, failed)) {
            return null;
        }
        String acl = Text.quotedTail(t, failed + (invalid ? INVALID.length() : FAILED.length()));
        return Finding.of(invalid ? EventAction.ACL_INVALID : EventAction.ACL_DENIED, caller.provider)
                .reason(invalid ? "invalid ACL" : caller.prefix.trim())
                .address(source, t, addrStart, failed, caller.origin)
                .aclName(acl)
                .version("11+")
                .build();
    }
}
