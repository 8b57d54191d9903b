package org.tollgate.normalizer.message;

import static org.tollgate.normalizer.message.Text.at;

import org.tollgate.normalizer.address.Endpoint;

/**
 * Two lines common in the wild that are not Asterisk's own C messages (catalog §2.7): a site dialplan's
 * {@code Log(WARNING, Rejecting unknown SIP connection from ${CHANNEL(recvip)})} and the vendor builds'
 * {@code hacking attempt detected '<ip>'}. Both are matched only at the start of the message, so the same words
 * inside another message (an extension, a user name) never count.
 */
final class SiteMessages {

    private static final String REJECTING = "Rejecting unknown SIP connection from ";
    private static final String HACKING = "hacking attempt detected '";

    private SiteMessages() {
    }

    static Finding parse(String t, int s) {
        int start = s;
        boolean quoted = t.charAt(s) == '"';
        if (quoted) {
            start++;
        }
        if (at(t, start, REJECTING)) {
            int end = t.length();
            if (quoted && t.charAt(end - 1) == '"') {
                end--;
            }
            Endpoint source = Text.endpoint(t, start + REJECTING.length(), end);
            return source == null ? null : Finding.of(EventAction.SIP_CONNECTION_REJECTED, "dialplan")
                    .reason("unknown SIP connection").source(source, AddressOrigin.DIALPLAN).build();
        }
        if (!quoted && at(t, start, HACKING)) {
            int close = t.indexOf('\'', start + HACKING.length());
            Endpoint source = close < 0 ? null : Text.endpoint(t, start + HACKING.length(), close);
            return source == null ? null : Finding.of(EventAction.HACKING_ATTEMPT, "chan_sip")
                    .reason("hacking attempt detected").source(source, AddressOrigin.TRANSPORT).build();
        }
        return null;
    }
}
