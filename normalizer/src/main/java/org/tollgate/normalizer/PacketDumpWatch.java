package org.tollgate.normalizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.tollgate.normalizer.message.EventAction;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.normalizer.text.Digits;

/**
 * Whether the lines now coming are a packet that pjproject or chan_sip dumped into the log, and the lines held while
 * that is not yet known: the one owner of that state, apart from the {@link Normalizer} that reads the lines, so that
 * the reading of lines and the following of a dump each fit in a class a reader can hold at once.
 *
 * <p>A dump's lines are the sender's own text and may look like any Asterisk line; they are never read for
 * addresses. {@link PacketDump} tells where one dump ends; this class opens dumps from the lines that announce them
 * and hands each line on to a {@link Sink} as packet text or as a real line, in input order. Used by one thread.
 */
final class PacketDumpWatch {

    static final String DROPPED_PACKET = " Dropped packet:";
    static final byte[] DROPPED_BYTES = DROPPED_PACKET.getBytes(StandardCharsets.US_ASCII);
    /** How far into a pjproject message {@link #DROPPED_PACKET} may start (after the forwarder's TAB and file). */
    static final int DROPPED_MARK_LIMIT = 40;

    /** Where a line's outcome goes: the full path builds every result, the fast path only security events. */
    interface Sink {
        void line(String rawLine, boolean truncated, long lineNumber);

        void packetLine(PacketDump.Line line);
    }

    /** The packet dump the lines now coming belong to, or null. */
    private PacketDump dump;
    private int lastDroppedSize = -1;

    /** Whether a dump is open: the lines now coming go through {@link #read}. */
    boolean open() {
        return dump != null;
    }

    /** Whether lines are held until the open dump's declared end shows what they are. */
    boolean holding() {
        return dump != null && dump.holding();
    }

    void read(String rawLine, boolean truncated, long lineNumber, Sink sink) {
        if (dump == null) {
            sink.line(rawLine, truncated, lineNumber);
            return;
        }
        PacketDump.Line line = new PacketDump.Line(rawLine, truncated, lineNumber, LineCleaner.clean(rawLine));
        // Count what was in the file: its UTF-8 bytes (never more: an undecodable byte counts as one) and the line feed.
        long bytes = utf8Length(rawLine, 0, rawLine.length()) + 1;
        switch (dump.offer(line, bytes)) {
            case PACKET -> sink.packetLine(line);
            case HELD -> {
            }
            case LAST -> {
                for (PacketDump.Line held : dump.heldPacketLines()) {
                    sink.packetLine(held);
                }
                dump = null;
                sink.packetLine(line);
            }
            case OVER -> {
                if (dump.holding()) {
                    release(sink);
                } else {
                    dump = null;
                    sink.line(rawLine, truncated, lineNumber);
                }
            }
        }
    }

    /** Ends a dump that holds lines at its last early end marker and reads the lines after it as real ones. */
    void release(Sink sink) {
        if (dump == null || !dump.holding()) {
            return;
        }
        List<PacketDump.Line> packet = new ArrayList<>();
        List<PacketDump.Line> real = dump.release(packet);
        dump = null;
        for (PacketDump.Line line : packet) {
            sink.packetLine(line);
        }
        for (PacketDump.Line line : real) {
            read(line.raw(), line.truncated(), line.sequence(), sink);
        }
    }

    /**
     * pjproject's "Error processing N bytes packet … :" is followed by the packet's lines and "-- end of packet."; with
     * the packet moved to DEBUG (P12), a "Dropped packet:" DEBUG line starts the dump of the size the "Dropping N
     * bytes" line before it announced. {@link PacketDump} tells where the dump ends.
     */
    void watchForPacketDump(Finding finding, String message) {
        if (finding.action() != EventAction.SIP_MALFORMED_PACKET) {
            return;
        }
        int size = packetSize(message);
        if (message.indexOf(" Dropping ") >= 0 || message.startsWith("Dropping ")) {
            lastDroppedSize = size;
            return;
        }
        if (message.endsWith(":")) {
            // The log message so far: what the forwarder's TAB precedes (sender and text), and its line feed.
            dump = new PacketDump(size, logged(message, message.length()) + 1, 0);
        }
    }

    /** A DEBUG "Dropped packet:" line starts a dump of the packet the last "Dropping N bytes" line announced. */
    void watchForDroppedDump(String message) {
        int mark = message.indexOf(DROPPED_PACKET);
        if (mark < 0 || mark > DROPPED_MARK_LIMIT || message.indexOf("sip_transport") < 0) {
            return;
        }
        int packetStart = mark + DROPPED_PACKET.length();
        long firstPacketLine = utf8Length(message, packetStart, message.length());
        dump = new PacketDump(lastDroppedSize, logged(message, packetStart), firstPacketLine + 1);
        lastDroppedSize = -1;
    }

    /** Bytes of pjproject's own log message in {@code message[0, end)}: all but the TAB Asterisk's forwarder puts first. */
    private static long logged(String message, int end) {
        int from = !message.isEmpty() && message.charAt(0) == '\t' ? 1 : 0;
        return utf8Length(message, from, end);
    }

    private static int packetSize(String message) {
        int bytes = message.indexOf(" bytes packet from ");
        if (bytes < 0) {
            return -1;
        }
        return Digits.parseInt(message, Digits.startBefore(message, 0, bytes), bytes);
    }

    /**
     * The UTF-8 length of {@code text[from, to)}, which pjproject's byte count measures; U+FFFD, which stands for one
     * to three undecodable bytes, counts as one, so the result is never more than the bytes in the file.
     */
    static int utf8Length(String text, int from, int to) {
        int bytes = to - from;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80 || c == '\uFFFD') {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 2; // four bytes for the two chars of a pair
                i++;
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }
}
