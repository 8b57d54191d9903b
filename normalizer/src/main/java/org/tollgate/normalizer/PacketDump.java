package org.tollgate.normalizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The raw packet pjproject writes into the log after "Error processing N bytes packet from … :" (and, from
 * pjproject 2.14 and Asterisk's patch on 2.13.1, after "Dropped packet:"): lines of the sender's text that may look
 * like any Asterisk line, then {@code -- end of packet.}. This tells where the dump ends, line by line, from what
 * pjproject does (pjsip/src/pjsip/sip_transport.c pjsip_tpmgr_receive_packet, pjlib/src/pj/log.c pj_log, pjproject
 * 2.0–2.17):
 *
 * <ul>
 *   <li>The packet is printed with {@code %.*s} of its N bytes, so it stops early at a NUL byte; the end marker follows
 *   the printed packet after a line feed. With no NUL, the marker's line starts exactly N + 1 bytes into the dump.</li>
 *   <li>The whole log message (sender name padded to its width, the "Error processing … :" text, the line feed, the
 *   packet and the marker) is cut at {@code PJ_LOG_MAX_SIZE - 1} = 3999 bytes (Asterisk leaves the 4000 default), so
 *   a large packet's dump ends where that budget runs out, marker or not.</li>
 * </ul>
 *
 * <p>An end marker earlier than N + 1 bytes is either the sender's text (he wrote one into the packet) or the real
 * end of a dump a NUL cut short. The lines after it are held until the declared end is reached: if the marker is
 * there (or, for a cut dump, a line ends exactly at the budget), every earlier marker was the sender's and the held
 * lines were packet; otherwise the dump ended at the last early marker, and the lines after it are real lines, read
 * then, late by at most one dump. A line read as real is never one the sender could have written, so nothing he puts
 * in a packet is ever read as Asterisk's; what he can do is make real lines wait for one dump's length.
 */
final class PacketDump {

    /** pjproject's default {@code PJ_LOG_MAX_SIZE}: the log buffer, its NUL included. */
    static final int PJ_LOG_MAX_SIZE = 4000;
    static final String END_OF_PACKET = "-- end of packet.";

    /** A line read while the dump was open, with what it needs to be read again. */
    record Line(String raw, boolean truncated, long sequence, String cleaned) {
    }

    private final long packetBytes;
    private final long budget;
    private long consumed;
    private final List<Line> held = new ArrayList<>();
    private int lastEarlyMarker = -1;

    /**
     * @param packetBytes the N of "N bytes packet", or -1 when unknown (the dump then ends only at the budget)
     * @param written     bytes of the log message written before the dump's first byte: the sender name and the
     *                    "Error processing … :" text and its line feed; or "Dropped packet:" with the sender name
     * @param consumed    bytes of the dump already on the line that opened it ("Dropped packet:" carries the
     *                    packet's first line), each line's line feed included
     */
    PacketDump(long packetBytes, long written, long consumed) {
        this.packetBytes = packetBytes;
        this.budget = PJ_LOG_MAX_SIZE - 1 - written;
        this.consumed = consumed;
    }

    /** What to do with the line just offered. */
    enum Verdict {
        /** A line of the packet (or its end marker); the dump goes on. */
        PACKET,
        /** The dump's last line. */
        LAST,
        /** Held until the dump's end is known. */
        HELD,
        /** The dump ended before this line: read it, and what {@link #release} hands back, as real lines. */
        OVER
    }

    boolean holding() {
        return !held.isEmpty();
    }

    /**
     * Offers the next line; {@code bytes} is its length in the file, its line feed included. On {@link Verdict#LAST}
     * the lines held so far were packet lines too: {@link #heldPacketLines} has them.
     */
    Verdict offer(Line line, long bytes) {
        long start = consumed;
        long finish = start + bytes;
        boolean marker = line.cleaned().equals(END_OF_PACKET);
        if (endsDump(start, finish, marker)) {
            consumed = finish;
            return Verdict.LAST;
        }
        if (finish > budget + 1) {
            // Past the budget: no dump is this long, so it ended before; an early marker was the real end.
            if (holding()) {
                held.add(line);
                return Verdict.OVER;
            }
            return Verdict.OVER;
        }
        consumed = finish;
        boolean early = marker && (packetBytes < 0 || start < packetBytes + 1);
        if (early) {
            lastEarlyMarker = held.size();
        }
        if (early || holding()) {
            held.add(line);
            if (passedDeclaredEnd()) {
                return Verdict.OVER;
            }
            return Verdict.HELD;
        }
        return Verdict.PACKET;
    }

    /**
     * Whether this line is the dump's last: the marker exactly N + 1 bytes in when the whole marker fits the budget,
     * otherwise the line that ends exactly at the budget.
     */
    private boolean endsDump(long start, long finish, boolean marker) {
        if (packetBytes >= 0 && packetBytes + 1 + END_OF_PACKET.length() <= budget) {
            return marker && start == packetBytes + 1;
        }
        return finish == budget + 1;
    }

    /** Whether the lines read so far go beyond where a dump without an early end would have ended. */
    private boolean passedDeclaredEnd() {
        if (packetBytes >= 0 && packetBytes + 1 + END_OF_PACKET.length() <= budget) {
            return consumed > packetBytes + 1;
        }
        return consumed > budget + 1;
    }

    /** After {@link Verdict#LAST}: the held lines, all of them packet lines. */
    List<Line> heldPacketLines() {
        return held;
    }

    /**
     * Ends the dump at its last early marker (the input went quiet, or the declared end showed none there): the held
     * lines up to that marker go to {@code packet}, and the lines after it are returned, to be read as real lines.
     */
    List<Line> release(List<Line> packet) {
        int cut = lastEarlyMarker + 1;
        packet.addAll(held.subList(0, cut));
        return new ArrayList<>(held.subList(cut, held.size()));
    }
}
