package org.tollgate.normalizer.call;

/**
 * Reads Asterisk channel names: {@code PJSIP/1001-0000002a} ({@code "PJSIP/%s-%08x"}, chan_pjsip), {@code
 * SIP/1001-0000000b} ({@code "SIP/%s-%08x"}, chan_sip; a guest call is named after its address), {@code IAX2/1001-3}
 * ({@code "IAX2/%s-%d"}), {@code DAHDI/1-1}, {@code Local/100@from-internal-00000001;1}. Names come from the PBX's
 * own configuration, but a Local channel carries the dialled extension, which the caller wrote: a name is taken only
 * when every character is one of a strict set, and Local channels are never an endpoint's.
 */
public final class ChannelName {

    /** Longest name taken. */
    public static final int MAX_LENGTH = 160;

    private ChannelName() {
    }

    /**
     * True when {@code text[from, to)} is a channel name of an endpoint: {@code <tech>/<name>-<suffix>}, the
     * technology letters and digits, the name of {@link #nameChar name characters}, the suffix hex digits; never a
     * Local channel. A {@code String}, not a {@code CharSequence}: under the first compiler an interface's
     * {@code charAt} is a call it never inlines, and every caller holds a string.
     */
    public static boolean isEndpointChannel(String text, int from, int to) {
        int length = to - from;
        if (length < 5 || length > MAX_LENGTH) {
            return false;
        }
        int slash = -1;
        for (int i = from; i < to && i - from <= 16; i++) {
            char c = text.charAt(i);
            if (c == '/') {
                slash = i;
                break;
            }
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        if (slash <= from || regionIs(text, from, slash, "Local")) {
            return false;
        }
        int dash = -1;
        for (int i = to - 1; i > slash; i--) {
            if (text.charAt(i) == '-') {
                dash = i;
                break;
            }
        }
        if (dash <= slash + 1 || dash == to - 1) {
            return false;
        }
        for (int i = dash + 1; i < to; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        for (int i = slash + 1; i < dash; i++) {
            if (!nameChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@link #isEndpointChannel(String, int, int)} of the whole text. */
    public static boolean isEndpointChannel(String text) {
        return text != null && isEndpointChannel(text, 0, text.length());
    }

    /**
     * Characters of an endpoint, peer or account name as the configuration names them (and of a guest's address):
     * letters, digits and {@code _ . + @ : = ~ -}.
     */
    public static boolean nameChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                || c == '+' || c == '@' || c == ':' || c == '=' || c == '~' || c == '-';
    }

    /** {@code PJSIP} of {@code PJSIP/1001-0000002a}; null when the name has no technology. */
    public static String technology(String channel) {
        int slash = channel.indexOf('/');
        return slash <= 0 ? null : channel.substring(0, slash);
    }

    /** {@code 1001} of {@code PJSIP/1001-0000002a}: the name without technology and sequence suffix. */
    public static String endpoint(String channel) {
        int slash = channel.indexOf('/');
        int dash = channel.lastIndexOf('-');
        return dash > slash + 1 ? channel.substring(slash + 1, dash) : channel.substring(slash + 1);
    }

    /** {@code PJSIP/1001} of {@code PJSIP/1001-0000002a}: the channel's endpoint with its technology. */
    public static String endpointKey(String channel) {
        int dash = channel.lastIndexOf('-');
        return dash > 0 ? channel.substring(0, dash) : channel;
    }

    private static boolean regionIs(String text, int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (text.charAt(from + i) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
