package org.tollgate.normalizer.message;

/**
 * Recognises a security message and reads it. One switch on the first character, then fixed-prefix tests: a noise
 * line costs a handful of character comparisons and no allocation.
 */
public final class MessageClassifier {

    private final boolean trustPatchedLines;

    /**
     * @param trustPatchedLines true on hosts that run a Tollgate chan_sip patch: the {@code (ip:port)} suffix of
     *                          "Failed to authenticate …" lines is then the transport address
     */
    public MessageClassifier(boolean trustPatchedLines) {
        this.trustPatchedLines = trustPatchedLines;
    }

    /**
     * Reads the message {@code text[start…]}; {@code level} is what the prefix said (may be null), {@code dialplan}
     * whether the line is a dialplan {@code Log()} line (file {@code Ext. …}), {@code pjproject} whether pjproject's
     * log forwarder wrote it (file {@code pjproject} or {@code pjsip}). Returns null when the message is not a security
     * message.
     */
    public Finding classify(String text, int start, String level, boolean dialplan, boolean pjproject) {
        return classify(text, start, bodyStart(text, start), level, dialplan, pjproject);
    }

    /**
     * As {@link #classify(String, int, String, boolean, boolean)} with {@code body}, where the message proper starts,
     * already found: {@link #bodyStart(String, int)} of {@code text} and {@code start}, which the caller finds once for
     * this and for {@link DialplanMessages#readBody}.
     */
    public Finding classify(String text, int start, int body, String level, boolean dialplan, boolean pjproject) {
        int length = text.length();
        if (start >= length) {
            return null;
        }
        boolean leadingSpace = text.charAt(start) == ' ';
        int s = body;
        if (s >= length) {
            return null;
        }
        char c = text.charAt(s);
        if (dialplan) {
            // A dialplan Log() line holds whatever the site's dialplan wrote, caller-supplied text included: only the
            // site messages count there, never a look-alike of Asterisk's own.
            return c == 'R' || c == '"' || c == 'h' ? SiteMessages.parse(text, s) : null;
        }
        if (leadingSpace && s == start + 1 && !"VERBOSE".equals(level)) {
            // res_pjsip_session's trace-logged "Call (…) to extension …" (P10) starts with exactly one space, at
            // NOTICE. A VERBOSE line indented the 1.4–12 way ("    -- Executing […] NoOp(…)") may carry the
            // caller's text.
            Finding finding = PjsipMessages.callRejectedTrace(text, s);
            if (finding != null) {
                return finding;
            }
        }
        if (text.charAt(start) == '\t' || pjproject) {
            Finding finding = PjsipMessages.malformedPacket(text, s);
            if (finding != null) {
                return finding;
            }
        }
        Finding finding = null;
        switch (c) {
            case 'R' -> {
                finding = ChanSipMessages.parse(text, s, trustPatchedLines);
                if (finding == null) {
                    finding = PjsipMessages.parse(text, s);
                }
                if (finding == null) {
                    finding = Iax2Messages.parse(text, s, level);
                }
                if (finding == null) {
                    finding = ManagerMessages.parse(text, s);
                }
                if (finding == null) {
                    finding = SiteMessages.parse(text, s);
                }
            }
            case 'F', 'U', 'P', 'u', 'B', 'I' -> {
                finding = ChanSipMessages.parse(text, s, trustPatchedLines);
                if (finding == null) {
                    finding = Iax2Messages.parse(text, s, level);
                }
                if (finding == null) {
                    finding = AclMessages.parse(text, s);
                }
            }
            case 'S' -> {
                if (text.startsWith(SecurityEventMessages.PREFIX, s)) {
                    finding = SecurityEventMessages.parse(text, s);
                } else {
                    finding = ChanSipMessages.parse(text, s, trustPatchedLines);
                    if (finding == null) {
                        finding = AclMessages.parse(text, s);
                    }
                }
            }
            case 'C' -> {
                finding = ChanSipMessages.parse(text, s, trustPatchedLines);
                if (finding == null) {
                    finding = Iax2Messages.parse(text, s, level);
                }
                if (finding == null) {
                    finding = ManagerMessages.parse(text, s);
                }
            }
            case 'H' -> {
                finding = Iax2Messages.parse(text, s, level);
                if (finding == null) {
                    finding = ChanSipMessages.parse(text, s, trustPatchedLines);
                }
                if (finding == null) {
                    finding = ManagerMessages.parse(text, s);
                }
            }
            case 'D' -> finding = ChanSipMessages.parse(text, s, trustPatchedLines);
            case 'E', 'A' -> {
                if (c == 'E' && text.startsWith(DialplanMessages.EXECUTING, s)) {
                    // A dialplan step, a third of a busy PBX's lines: nothing below reads one (MessageShortcutProperties).
                    return null;
                }
                finding = PjsipMessages.parse(text, s);
                if (finding == null) {
                    finding = Iax2Messages.parse(text, s, level);
                }
                if (finding == null) {
                    finding = AclMessages.parse(text, s);
                }
            }
            case 'N' -> finding = Iax2Messages.parse(text, s, level);
            case 'M' -> {
                finding = ManagerMessages.parse(text, s);
                if (finding == null) {
                    finding = Iax2Messages.parse(text, s, level);
                }
                if (finding == null) {
                    finding = AclMessages.parse(text, s);
                }
            }
            case 'm' -> finding = ManagerMessages.parse(text, s);
            case 'h', '"' -> finding = SiteMessages.parse(text, s);
            default -> {
            }
        }
        if (finding == null && isAddressStart(c)) {
            finding = ManagerMessages.loginFailure(text, s);
        }
        return finding;
    }

    /**
     * Where the message {@code text[start…]} proper starts: after its leading blanks and the VERBOSE prefix 1.4–12 keep
     * in the text. What both readers of a line's message skip, found once per line.
     */
    public static int bodyStart(String text, int start) {
        return skipDecoration(text, start);
    }

    /** Skips leading blanks and the VERBOSE prefixes ({@code "  == "}, {@code "    -- "}, {@code "       > "}) 1.4–12 keep in the text. */
    static int skipDecoration(String text, int i) {
        int length = text.length();
        while (i < length && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i + 2 < length && text.charAt(i + 2) == ' ') {
            char a = text.charAt(i);
            char b = text.charAt(i + 1);
            if ((a == '=' && b == '=') || (a == '-' && b == '-')) {
                i += 3;
            }
        } else if (i + 1 < length && text.charAt(i) == '>' && text.charAt(i + 1) == ' ') {
            i += 2;
        }
        while (i < length && text.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static boolean isAddressStart(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '[';
    }
}
