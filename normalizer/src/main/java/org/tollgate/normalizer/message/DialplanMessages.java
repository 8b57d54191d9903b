package org.tollgate.normalizer.message;

import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.address.Endpoints;
import org.tollgate.normalizer.call.ChannelName;
import org.tollgate.normalizer.text.RecentStrings;

/**
 * Reads the VERBOSE lines that follow a call through the dialplan: what {@link
 * org.tollgate.normalizer.correlate.Calls} turns into call events. Formats from the Asterisk sources, the same in the
 * 1.8, 11, 13, 16, 18, 20 and 22 branches unless said (13+ wraps app, channel and arguments in COLORIZE, which files
 * do not show; 1.4–12 keep the verbose prefix {@code "    -- "} in the text, which the classifier skips):
 *
 * <ul>
 *   <li>main/pbx.c pbx_extension_helper, {@code ast_verb(3, "Executing [%s@%s:%d] %s(\"%s\", \"%s\") %s\n", exten,
 *       context, priority, app, channel, data, "in new stack")}; the extension is what the caller dialled and the data
 *       holds it again after substitution: both are the caller's text;</li>
 *   <li>apps/app_dial.c wait_for_answer, {@code ast_verb(3, "%s answered %s\n", peer, caller)};</li>
 *   <li>apps/app_dial.c dial_exec_full, {@code ast_verb(3, "Called %s/%s\n", tech, numsubst)} (1.8) and
 *       {@code "Called %s\n", interface} (11+): no caller channel, only the call id or thread says whose;</li>
 *   <li>main/pbx.c __ast_pbx_run, {@code ast_verb(2, "Spawn extension (%s, %s, %d) exited non-zero on '%s'\n",
 *       context, exten, priority, channel)} (also {@code INCOMPLETE}, {@code ERROR while already on 'e' exten}), and
 *       apps/app_macro.c's {@code "… on '%s' in macro '%s'\n"} (1.8–16) and apps/app_stack.c's gosub form: the call's
 *       channel hung up;</li>
 *   <li>main/pbx.c __ast_pbx_run, {@code ast_verb(3, "Auto fallthrough, channel '%s' status is '%s'\n", channel,
 *       DIALSTATUS)}: the dialplan ran out;</li>
 *   <li>channels/chan_sip.c parse_register_contact, {@code "Registered SIP '%s' at %s\n"} ({@code peer->addr}: the
 *       Contact's address unless nat= makes it the packet's), 1.8–20;</li>
 *   <li>res/res_pjsip_registrar.c, {@code ast_verb(3, "Added contact '%s' to AOR '%s' with expiration of %d
 *       seconds\n", contact_uri, aor, expiration)}, 13+: the Contact URI the phone wrote.</li>
 * </ul>
 *
 * Caller-written text (the extension, Dial data, a Local channel's name) can hold any of these anchors, so each line is
 * read from the fixed text around the PBX's own values (channel names, contexts, priorities), and an {@code Executing}
 * line that reads as more than one channel is marked ambiguous rather than guessed.
 */
public final class DialplanMessages {

    /** Starts pbx.c's line for each dialplan step; none of the security messages starts so ({@link MessageClassifier}). */
    static final String EXECUTING = "Executing [";
    private static final String IN_NEW_STACK = "\") in new stack";
    private static final String ANSWERED = " answered ";
    private static final String CALLED = "Called ";
    private static final String SPAWN = "Spawn extension (";
    private static final String ON = " on '";
    private static final String IN_MACRO = "' in macro '";
    private static final String FALLTHROUGH = "Auto fallthrough, channel '";
    private static final String STATUS_IS = "' status is '";
    private static final String REGISTERED_SIP = "Registered SIP '";
    private static final String AT = "' at ";
    private static final String ADDED_CONTACT = "Added contact '";
    private static final String TO_AOR = "' to AOR '";
    private static final String WITH_EXPIRATION = "' with expiration of ";
    /** Longest application argument text kept. */
    static final int MAX_ARGS = 256;

    private DialplanMessages() {
    }

    /** What a dialplan line says. */
    public enum Kind {
        /** {@code Executing […] App("channel", "data")}. */
        EXECUTING,
        /** {@code <peer> answered <caller>}. */
        ANSWERED,
        /** {@code Called <interface>}. */
        CALLED,
        /** {@code Spawn extension (…) exited … on '<channel>'}, {@code Auto fallthrough, channel '<channel>' …}. */
        ENDED,
        /** {@code Registered SIP '<peer>' at <address>}, {@code Added contact '<uri>' to AOR '<aor>' …}. */
        REGISTERED
    }

    /**
     * One dialplan line read. An {@code Executing} line (a third of a busy PBX's lines) keeps where its extension,
     * context, application and data are in the message and cuts them out only when asked: the calls it follows need
     * them once per channel, not once per step.
     */
    public static final class Line {
        private final Kind kind;
        private final String channel;
        private final String peer;
        private final String name;
        private final Endpoint address;
        private final boolean ambiguous;
        private String exten;
        private String context;
        private String app;
        private String data;
        /** An {@code Executing} line's message, whose parts are cut out on demand; null for the other kinds. */
        private final String text;
        private final int extenFrom;
        private final int at;
        private final int contextEnd;
        private final int appStart;
        private final int open;
        private final int dataStart;
        private final int dataEnd;

        Line(Kind kind, String channel, String exten, String context, String app, String data, String peer,
             String name, Endpoint address, boolean ambiguous) {
            this(kind, channel, peer, name, address, ambiguous, null, 0, 0, 0, 0, 0, 0, 0);
            this.exten = exten;
            this.context = context;
            this.app = app;
            this.data = data;
        }

        /** {@code Executing [<text[extenFrom, at)>@<text[at + 1, contextEnd)>:…] <text[appStart, open)>("…", "<text[dataStart, dataEnd)>}. */
        private Line(Kind kind, String channel, String peer, String name, Endpoint address, boolean ambiguous,
                     String text, int extenFrom, int at, int contextEnd, int appStart, int open, int dataStart,
                     int dataEnd) {
            this.kind = kind;
            this.channel = channel;
            this.peer = peer;
            this.name = name;
            this.address = address;
            this.ambiguous = ambiguous;
            this.text = text;
            this.extenFrom = extenFrom;
            this.at = at;
            this.contextEnd = contextEnd;
            this.appStart = appStart;
            this.open = open;
            this.dataStart = dataStart;
            this.dataEnd = dataEnd;
        }

        /** The same line read as more than one channel. */
        Line asAmbiguous() {
            Line copy = new Line(kind, channel, peer, name, address, true, text, extenFrom, at, contextEnd, appStart,
                    open, dataStart, dataEnd);
            copy.exten = exten;
            copy.context = context;
            copy.app = app;
            copy.data = data;
            return copy;
        }

        /** What it says. */
        public Kind kind() {
            return kind;
        }

        /** The calling channel (EXECUTING, ANSWERED, ENDED), or null. */
        public String channel() {
            return channel;
        }

        /** The extension (EXECUTING), the caller's text; the kind of registration (REGISTERED). */
        public String exten() {
            if (exten == null && text != null) {
                exten = text.substring(extenFrom, at);
            }
            return exten;
        }

        /** True when {@link #exten()} is {@code word}, without cutting the extension out of the line. */
        public boolean extenIs(String word) {
            if (exten == null && text != null) {
                return at - extenFrom == word.length() && text.startsWith(word, extenFrom);
            }
            return word.equals(exten);
        }

        /** The context (EXECUTING, ENDED by Spawn). */
        public String context() {
            if (context == null && text != null) {
                context = text.substring(at + 1, contextEnd);
            }
            return context;
        }

        /** The application (EXECUTING). */
        public String app() {
            if (app == null && text != null) {
                app = text.substring(appStart, open);
            }
            return app;
        }

        /** True when {@link #app()} is {@code word} but for case, without cutting the application out of the line. */
        public boolean appIsIgnoringCase(String word) {
            if (app == null && text != null) {
                return open - appStart == word.length() && text.regionMatches(true, appStart, word, 0, word.length());
            }
            return word.equalsIgnoreCase(app);
        }

        /**
         * The application's data (EXECUTING), the interface (CALLED), the DIALSTATUS (ENDED by Auto fallthrough), cut
         * to a few hundred characters.
         */
        public String data() {
            if (data == null && text != null) {
                data = text.substring(dataStart, dataEnd);
            }
            return data;
        }

        /** The called channel (ANSWERED). */
        public String peer() {
            return peer;
        }

        /** The peer or AOR (REGISTERED). */
        public String name() {
            return name;
        }

        /** The address it registered at (REGISTERED), or null when the line has none that reads. */
        public Endpoint address() {
            return address;
        }

        /** An EXECUTING line whose caller-written text makes it read as more than one channel. */
        public boolean ambiguous() {
            return ambiguous;
        }

        @Override
        public String toString() {
            return "Line[kind=" + kind + ", channel=" + channel + ", exten=" + exten() + ", context=" + context()
                    + ", app=" + app() + ", data=" + data() + ", peer=" + peer + ", name=" + name + ", address="
                    + address + ", ambiguous=" + ambiguous + "]";
        }
    }

    /**
     * Reads the VERBOSE message {@code text[start…]} ({@code level} as the prefix said; null when the layout has
     * none); null when it is not one of the lines above. Skips the verbose prefixes 1.4–12 keep in the text and the
     * second date {@code asterisk -T} puts there (1.4–12).
     */
    public static Line read(String text, int start, String level) {
        return readBody(text, MessageClassifier.bodyStart(text, start), level);
    }

    /**
     * As {@link #read(String, int, String)} from {@code body}, the {@link MessageClassifier#bodyStart} of the message,
     * already found (the classifier needs it too).
     */
    public static Line readBody(String text, int body, String level) {
        return readBody(text, body, level, null, 0, null);
    }

    /**
     * As {@link #readBody(String, int, String)} for a plain line whose bytes are {@code bytes[offset, offset +
     * text.length())} (each byte one character), or {@code bytes} null: an {@code Executing} line is then read from
     * its bytes ({@link ExecutingBytes}), its channel handed out by {@code channels} when it was cut before.
     */
    public static Line readBody(String text, int body, String level, byte[] bytes, int offset,
                                RecentStrings channels) {
        if (level != null && !"VERBOSE".equals(level)) {
            return null;
        }
        int s = body;
        if (s < text.length() && text.charAt(s) == '[') {
            int close = text.indexOf("] ", s);
            if (close < 0 || close - s > 40) {
                return null;
            }
            s = MessageClassifier.skipDecoration(text, close + 2);
        }
        if (bytes != null && s < text.length() && text.charAt(s) == 'E' && text.startsWith(EXECUTING, s)) {
            return ExecutingBytes.read(text, s, bytes, offset, channels);
        }
        return parse(text, s);
    }

    /**
     * Reads {@code text[s…]}, the message after any verbose prefix; null when it is not one of the lines above. Costs
     * a character test for most other lines.
     */
    static Line parse(String text, int s) {
        if (s >= text.length()) {
            return null;
        }
        return switch (text.charAt(s)) {
            case 'E' -> text.startsWith(EXECUTING, s) ? executing(text, s) : null;
            case 'C' -> text.startsWith(CALLED, s) ? called(text, s) : answered(text, s);
            case 'S' -> text.startsWith(SPAWN, s) ? spawn(text, s) : answered(text, s);
            case 'A' -> text.startsWith(FALLTHROUGH, s) ? fallthrough(text, s)
                    : text.startsWith(ADDED_CONTACT, s) ? contactAdded(text, s) : null;
            case 'R' -> text.startsWith(REGISTERED_SIP, s) ? sipRegistered(text, s) : null;
            case 'P', 'I', 'D', 'M', 'U', 'L' -> answered(text, s);
            default -> null;
        };
    }

    /**
     * {@code Executing [<exten>@<context>:<priority>] <App>("<channel>", "<data>") in new stack}. The fixed part is
     * {@code :<digits>] <App>("<channel>", "}; a reading is each place it occurs with an {@code @} before it.
     */
    private static Line executing(String text, int s) {
        int from = s + EXECUTING.length();
        Line first = null;
        int search = from;
        while (true) {
            int open = text.indexOf("(\"", search);
            if (open < 0) {
                break;
            }
            Line reading = readingAt(text, from, open);
            if (reading != null) {
                if (first != null) {
                    return first.asAmbiguous();
                }
                first = reading;
            }
            search = open + 2;
        }
        return first;
    }

    /** The reading whose application's {@code ("} is at {@code open}, or null when the text around it does not fit. */
    private static Line readingAt(String text, int from, int open) {
        // Backwards: the application name, "] ", the priority, ':', the context, '@'.
        int appStart = open;
        while (appStart > from && appChar(text.charAt(appStart - 1))) {
            appStart--;
        }
        if (appStart == open || appStart - 2 < from || text.charAt(appStart - 1) != ' '
                || text.charAt(appStart - 2) != ']') {
            return null;
        }
        int priorityEnd = appStart - 2;
        int priorityStart = priorityEnd;
        while (priorityStart > from && priorityDigit(text.charAt(priorityStart - 1))) {
            priorityStart--;
        }
        if (priorityStart == priorityEnd || priorityStart - 1 <= from || text.charAt(priorityStart - 1) != ':') {
            return null;
        }
        int contextEnd = priorityStart - 1;
        int at = contextEnd - 1;
        while (at >= from && contextChar(text.charAt(at))) {
            at--;
        }
        if (at < from || text.charAt(at) != '@' || at + 1 == contextEnd) {
            return null;
        }
        // Forwards: "<channel>", "
        int channelStart = open + 2;
        int channelEnd = text.indexOf('"', channelStart);
        if (channelEnd < 0 || channelEnd - channelStart > ChannelName.MAX_LENGTH
                || !text.startsWith("\", \"", channelEnd) || !channelLike(text, channelStart, channelEnd)) {
            return null;
        }
        int dataStart = channelEnd + 4;
        int dataEnd = text.endsWith(IN_NEW_STACK) ? text.length() - IN_NEW_STACK.length() : text.length();
        if (dataEnd < dataStart) {
            dataEnd = dataStart;
        }
        return executingLine(text.substring(channelStart, channelEnd), text, from, at, contextEnd, appStart, open,
                dataStart, Math.min(dataEnd, dataStart + MAX_ARGS));
    }

    /** An {@code Executing} line read at the positions {@code readingAt} names, its channel already cut. */
    static Line executingLine(String channel, String text, int from, int at, int contextEnd, int appStart, int open,
                              int dataStart, int dataEnd) {
        return new Line(Kind.EXECUTING, channel, null, null, null, false, text, from, at, contextEnd, appStart, open,
                dataStart, dataEnd);
    }

    /** {@code <peer> answered <caller>}: the caller is what follows the last " answered ". */
    private static Line answered(String text, int s) {
        // The line starts with a channel name: letters and digits, then '/'.
        int slash = -1;
        for (int i = s; i < text.length() && i - s <= 16; i++) {
            char c = text.charAt(i);
            if (c == '/') {
                slash = i;
                break;
            }
            if (!appChar(c)) {
                return null;
            }
        }
        if (slash <= s) {
            return null;
        }
        int mark = text.lastIndexOf(ANSWERED);
        if (mark <= s) {
            return null;
        }
        int callerStart = mark + ANSWERED.length();
        int end = text.length();
        if (!ChannelName.isEndpointChannel(text, callerStart, end)) {
            return null;
        }
        String peer = channelLike(text, s, mark) ? text.substring(s, mark) : null;
        return new Line(Kind.ANSWERED, text.substring(callerStart, end), null, null, null, null, peer, null, null, false);
    }

    private static Line called(String text, int s) {
        int from = s + CALLED.length();
        if (from >= text.length() || text.indexOf('/', from) < 0) {
            return null;
        }
        String target = text.substring(from, Math.min(text.length(), from + MAX_ARGS));
        return new Line(Kind.CALLED, null, null, null, null, target, null, null, null, false);
    }

    /**
     * {@code Spawn extension (<context>, <exten>, <priority>) exited … on '<channel>'[ in macro '<macro>']}: the
     * extension is the caller's text, so the channel is read from the end.
     */
    private static Line spawn(String text, int s) {
        int end = text.length();
        if (end == 0 || text.charAt(end - 1) != '\'') {
            return null;
        }
        int close = end - 1;
        int macro = text.lastIndexOf(IN_MACRO);
        if (macro > s && text.indexOf('\'', macro + IN_MACRO.length()) == close) {
            close = macro;
        }
        int on = text.lastIndexOf(ON, close);
        if (on <= s) {
            return null;
        }
        int channelStart = on + ON.length();
        if (!channelLike(text, channelStart, close)) {
            return null;
        }
        int contextStart = s + SPAWN.length();
        int comma = text.indexOf(", ", contextStart);
        String context = comma > contextStart && comma < on ? text.substring(contextStart, comma) : null;
        return new Line(Kind.ENDED, text.substring(channelStart, close), null, context, null, null, null, null, null,
                false);
    }

    /** {@code Auto fallthrough, channel '<channel>' status is '<status>'}. */
    private static Line fallthrough(String text, int s) {
        int channelStart = s + FALLTHROUGH.length();
        int statusMark = text.indexOf(STATUS_IS, channelStart);
        if (statusMark < 0 || !channelLike(text, channelStart, statusMark) || !text.endsWith("'")) {
            return null;
        }
        int statusStart = statusMark + STATUS_IS.length();
        int statusEnd = text.length() - 1;
        String status = statusEnd > statusStart && statusEnd - statusStart <= 32
                ? text.substring(statusStart, statusEnd) : null;
        return new Line(Kind.ENDED, text.substring(channelStart, statusMark), null, null, null, status, null, null,
                null, false);
    }

    /** {@code Registered SIP '<peer>' at <address>}. */
    private static Line sipRegistered(String text, int s) {
        int nameStart = s + REGISTERED_SIP.length();
        int at = text.indexOf(AT, nameStart);
        if (at <= nameStart || !name(text, nameStart, at)) {
            return null;
        }
        Endpoint address = Endpoints.parse(text, at + AT.length(), text.length());
        return new Line(Kind.REGISTERED, null, "SIP", null, null, null, null, text.substring(nameStart, at), address,
                false);
    }

    /**
     * {@code Added contact '<uri>' to AOR '<aor>' with expiration of <n> seconds}: the URI is the phone's (or an
     * attacker's) text, so the AOR is read from the end; the address is the URI's host part.
     */
    private static Line contactAdded(String text, int s) {
        int expiration = text.lastIndexOf(WITH_EXPIRATION);
        if (expiration <= s) {
            return null;
        }
        int aorMark = text.lastIndexOf(TO_AOR, expiration);
        int uriStart = s + ADDED_CONTACT.length();
        if (aorMark < uriStart) {
            return null;
        }
        int aorStart = aorMark + TO_AOR.length();
        if (!name(text, aorStart, expiration)) {
            return null;
        }
        return new Line(Kind.REGISTERED, null, "PJSIP", null, null, null, null, text.substring(aorStart, expiration),
                uriHost(text, uriStart, aorMark), false);
    }

    /** The host and port of a SIP URI {@code sip:user@host:port;params}, or null. */
    private static Endpoint uriHost(String text, int from, int to) {
        int hostStart = from;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '@') {
                hostStart = i + 1;
            }
        }
        if (hostStart == from) {
            int colon = text.indexOf(':', from);
            hostStart = colon >= 0 && colon < to ? colon + 1 : from;
        }
        int hostEnd = hostStart;
        while (hostEnd < to && text.charAt(hostEnd) != ';' && text.charAt(hostEnd) != '>'
                && text.charAt(hostEnd) != '?') {
            hostEnd++;
        }
        return Endpoints.parse(text, hostStart, hostEnd);
    }

    /** A channel name of any technology, Local ones included: {@code Tech/} then no quote, blank or control. */
    private static boolean channelLike(String text, int from, int to) {
        if (to - from < 3 || to - from > ChannelName.MAX_LENGTH) {
            return false;
        }
        int slash = -1;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '/' && slash < 0) {
                slash = i;
            } else if (c <= ' ' || c == '"' || c == '\'' || c == '(' || c == ')') {
                return false;
            }
        }
        return slash > from && slash < to - 1;
    }

    private static boolean name(String text, int from, int to) {
        if (to <= from || to - from > 64) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!ChannelName.nameChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link Character#isDigit(char)}, as the priority has always been read, with the ASCII digits tested first: under
     * the first compiler the JDK's test is a few calls a character.
     */
    private static boolean priorityDigit(char c) {
        return c >= '0' && c <= '9' || c >= 0x80 && Character.isDigit(c);
    }

    private static boolean appChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
    }

    /** Context names as extensions.conf allows them in practice: no blank, bracket, quote or '@'. */
    private static boolean contextChar(char c) {
        return c > ' ' && c != '@' && c != '[' && c != ']' && c != '"' && c != '\'' && c != '(' && c != ')'
                && c != ':';
    }
}
