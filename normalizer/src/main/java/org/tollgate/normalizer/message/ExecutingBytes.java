package org.tollgate.normalizer.message;

import org.tollgate.normalizer.call.ChannelName;
import org.tollgate.normalizer.text.ByteWords;
import org.tollgate.normalizer.text.RecentStrings;

/**
 * pbx.c's {@code Executing [<exten>@<context>:<priority>] <App>("<channel>", "<data>") in new stack} read from a plain
 * line's bytes (each byte one character, as {@code ISO_8859_1} decodes it, so an index in the bytes is the same index
 * in the text): a third of a busy PBX's lines are this one, and under the first compiler (as {@code tollgate check}
 * runs) each {@code String.charAt} of {@link DialplanMessages}' reading is a call with its own bounds check, where a
 * byte of an array is a load. The channel is handed out as the string last cut for it ({@link RecentStrings}), so the
 * calls followed look it up by a string whose hash is already known.
 *
 * <p>Reads exactly what {@code DialplanMessages.executing} reads, with the same anchors and bounds, and gives the same
 * line: each {@code ("} with the fixed part around it is a reading, and more than one makes the line ambiguous.
 */
final class ExecutingBytes {

    private static final byte[] IN_NEW_STACK = "\") in new stack".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ExecutingBytes() {
    }

    /**
     * The {@code Executing} line {@code text[s…]} (which starts with {@link DialplanMessages#EXECUTING} there), whose
     * bytes are {@code bytes[offset, offset + text.length())}; null when no reading fits.
     */
    static DialplanMessages.Line read(String text, int s, byte[] bytes, int offset, RecentStrings channels) {
        int from = offset + s + DialplanMessages.EXECUTING.length();
        int end = offset + text.length();
        DialplanMessages.Line first = null;
        for (int open = ByteWords.indexOf(bytes, (byte) '(', from, end); open + 1 < end;
             open = ByteWords.indexOf(bytes, (byte) '(', open + 1, end)) {
            if (bytes[open + 1] != '"') {
                continue;
            }
            DialplanMessages.Line reading = readingAt(text, bytes, offset, from, open, end, channels);
            if (reading != null) {
                if (first != null) {
                    return first.asAmbiguous();
                }
                first = reading;
            }
            open++; // the next search starts after the quote, as indexOf("(\"", open + 2) does
        }
        return first;
    }

    /** {@code DialplanMessages.readingAt} on the bytes: indexes are in {@code bytes}, the line's are less {@code offset}. */
    private static DialplanMessages.Line readingAt(String text, byte[] bytes, int offset, int from, int open, int end,
                                                   RecentStrings channels) {
        int appStart = open;
        while (appStart > from && appByte(bytes[appStart - 1])) {
            appStart--;
        }
        if (appStart == open || appStart - 2 < from || bytes[appStart - 1] != ' ' || bytes[appStart - 2] != ']') {
            return null;
        }
        int priorityEnd = appStart - 2;
        int priorityStart = priorityEnd;
        while (priorityStart > from && bytes[priorityStart - 1] >= '0' && bytes[priorityStart - 1] <= '9') {
            priorityStart--;
        }
        if (priorityStart == priorityEnd || priorityStart - 1 <= from || bytes[priorityStart - 1] != ':') {
            return null;
        }
        int contextEnd = priorityStart - 1;
        int at = contextEnd - 1;
        while (at >= from && contextByte(bytes[at])) {
            at--;
        }
        if (at < from || bytes[at] != '@' || at + 1 == contextEnd) {
            return null;
        }
        int channelStart = open + 2;
        int channelEnd = channelStart;
        while (channelEnd < end && bytes[channelEnd] != '"') {
            channelEnd++;
        }
        if (channelEnd == end || channelEnd - channelStart > ChannelName.MAX_LENGTH || channelEnd + 4 > end
                || bytes[channelEnd + 1] != ',' || bytes[channelEnd + 2] != ' ' || bytes[channelEnd + 3] != '"'
                || !channelLike(bytes, channelStart, channelEnd)) {
            return null;
        }
        int dataStart = channelEnd + 4;
        int dataEnd = endsWithInNewStack(bytes, offset, end) ? end - IN_NEW_STACK.length : end;
        if (dataEnd < dataStart) {
            dataEnd = dataStart;
        }
        String channel = channels.cut(text, channelStart - offset, channelEnd - offset, bytes, offset);
        return DialplanMessages.executingLine(channel, text, from - offset, at - offset, contextEnd - offset,
                appStart - offset, open - offset, dataStart - offset,
                Math.min(dataEnd, dataStart + DialplanMessages.MAX_ARGS) - offset);
    }

    /** True when the line {@code bytes[lineStart, end)} ends with {@code ") in new stack}. */
    private static boolean endsWithInNewStack(byte[] bytes, int lineStart, int end) {
        int start = end - IN_NEW_STACK.length;
        if (start < lineStart) {
            return false;
        }
        for (int i = 0; i < IN_NEW_STACK.length; i++) {
            if (bytes[start + i] != IN_NEW_STACK[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code DialplanMessages.channelLike} on the bytes. */
    private static boolean channelLike(byte[] bytes, int from, int to) {
        if (to - from < 3 || to - from > ChannelName.MAX_LENGTH) {
            return false;
        }
        int slash = -1;
        for (int i = from; i < to; i++) {
            byte c = bytes[i];
            if (c == '/' && slash < 0) {
                slash = i;
            } else if (c <= ' ' || c == '"' || c == '\'' || c == '(' || c == ')') {
                return false;
            }
        }
        return slash > from && slash < to - 1;
    }

    private static boolean appByte(byte c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
    }

    /** {@code DialplanMessages.contextChar} on a plain byte (printable ASCII or a TAB). */
    private static boolean contextByte(byte c) {
        return c > ' ' && c != '@' && c != '[' && c != ']' && c != '"' && c != '\'' && c != '(' && c != ')'
                && c != ':';
    }
}
