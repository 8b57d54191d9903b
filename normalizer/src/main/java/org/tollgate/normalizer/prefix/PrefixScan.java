package org.tollgate.normalizer.prefix;

import java.time.Instant;
import org.tollgate.normalizer.text.RecentStrings;

/**
 * The positions {@link PrefixParser} found in one line, reused from line to line so that a line that turns out to be
 * noise costs no allocation. Strings are cut out only when asked for.
 */
public final class PrefixScan {

    Layout layout;
    /** The text the message lives in: the line itself, or a message taken out of a JSON record. */
    String text;
    int messageStart;

    String stampSource;
    int stampFrom;
    int stampTo;
    Instant instant;

    String level;
    long threadId;
    int callIdFrom;
    int callIdTo;
    /** The call id cut out of {@link #text}, once asked for. */
    String callIdString;
    String fileString;
    int fileFrom;
    int fileTo;
    int fileLine;
    String functionString;
    int functionFrom;
    int functionTo;
    String jsonCallId;
    /**
     * The plain line's bytes when {@link FilePrefixBytes} read it, {@code lineBytes[lineOffset + i]} being
     * {@code text.charAt(i)}, else null: its file name and call id are then compared from them.
     */
    byte[] lineBytes;
    int lineOffset;
    /** File names and call ids cut out of earlier lines, handed out again (kept across {@link #reset}). */
    private final RecentStrings files = new RecentStrings();
    private final RecentStrings callIds = new RecentStrings();
    String hostname;
    String program;
    long pid;

    void reset(String line) {
        layout = Layout.BARE;
        text = line;
        messageStart = 0;
        stampSource = null;
        stampFrom = stampTo = 0;
        instant = null;
        level = null;
        threadId = -1;
        callIdFrom = callIdTo = 0;
        callIdString = null;
        fileString = null;
        fileFrom = fileTo = 0;
        fileLine = -1;
        functionString = null;
        functionFrom = functionTo = 0;
        jsonCallId = null;
        lineBytes = null;
        lineOffset = 0;
        hostname = null;
        program = null;
        pid = -1;
    }

    public Layout layout() {
        return layout;
    }

    public String text() {
        return text;
    }

    public int messageStart() {
        return messageStart;
    }

    public String level() {
        return level;
    }

    /** The bracketed number after the level (the thread), or -1. */
    public long threadId() {
        return threadId;
    }

    /** True when the line has a stamp to resolve, as text ({@link #stampSource()}) or as an instant. */
    public boolean hasStamp() {
        return stampSource != null || instant != null;
    }

    public String stampSource() {
        return stampSource;
    }

    public int stampFrom() {
        return stampFrom;
    }

    public int stampTo() {
        return stampTo;
    }

    /** An instant the layout gave directly (journald's microseconds), or null. */
    public Instant instant() {
        return instant;
    }

    public String file() {
        if (fileString == null && fileTo > fileFrom) {
            fileString = lineBytes != null ? files.cut(text, fileFrom, fileTo, lineBytes, lineOffset)
                    : files.cut(text, fileFrom, fileTo);
        }
        return fileString;
    }

    /** True when the file part equals {@code name}, without cutting a string out of the line. */
    /** True when the syslog tag or journald identifier is {@code name}. */
    public boolean programIs(String name) {
        return name.equals(program);
    }

    public boolean fileIs(String name) {
        if (fileString != null) {
            return fileString.equals(name);
        }
        return fileTo - fileFrom == name.length() && text.regionMatches(fileFrom, name, 0, name.length());
    }

    /** True when the file part starts with {@code prefix}, without cutting a string out of the line. */
    public boolean fileStartsWith(String prefix) {
        if (fileString != null) {
            return fileString.startsWith(prefix);
        }
        return fileTo - fileFrom >= prefix.length() && text.regionMatches(fileFrom, prefix, 0, prefix.length());
    }

    public String function() {
        if (functionString == null && functionTo > functionFrom) {
            functionString = text.substring(functionFrom, functionTo);
        }
        return functionString;
    }

    public String callId() {
        if (jsonCallId != null) {
            return jsonCallId;
        }
        if (callIdString == null && callIdTo > callIdFrom) {
            callIdString = lineBytes != null ? callIds.cut(text, callIdFrom, callIdTo, lineBytes, lineOffset)
                    : callIds.cut(text, callIdFrom, callIdTo);
        }
        return callIdString;
    }

    /**
     * The plain line's bytes when the prefix was read from them ({@code lineBytes()[lineOffset() + i]} is
     * {@code text().charAt(i)}), else null: a reader of the message may then read it from them too.
     */
    public byte[] lineBytes() {
        return lineBytes;
    }

    /** Where {@link #text()} starts in {@link #lineBytes()}. */
    public int lineOffset() {
        return lineOffset;
    }

    public LogPrefix toPrefix(Instant timestamp) {
        return new LogPrefix(layout, timestamp, level, threadId, callId(), file(), fileLine, function(), hostname,
                program, pid);
    }
}
