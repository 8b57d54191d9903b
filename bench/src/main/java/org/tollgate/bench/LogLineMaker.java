package org.tollgate.bench;

import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Random;

/**
 * The shared making of {@link MixedLogGenerator}'s lines: the one random source (so the same seed gives the same
 * log), the clock and its stamps, the prefix of each layout, the callids both noise and attacks draw, and the queue
 * of lines made but not yet returned.
 */
final class LogLineMaker {

    /** The PBX's own address, which no attacker uses. */
    static final String PBX_ADDRESS = "203.0.113.5";
    private static final int PID = 2281;
    private static final String HOSTNAME = "pbx1";
    private static final LocalDateTime START = LocalDateTime.of(2026, 1, 18, 17, 39, 50, 123_000_000);
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    };

    private final Random random;
    private final InstantSource clock;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final StringBuilder b = new StringBuilder(512);

    private long clockMillis;
    private long stampSecond = Long.MIN_VALUE;
    private String fileStampSeconds;
    private String syslogStamp;
    private int nextCallId = 0x1c;

    /** A line made but not yet returned: a multi-line item queues several. */
    record Pending(String line, boolean security) {
    }

    LogLineMaker(long seed, InstantSource clock) {
        this.random = new Random(seed);
        this.clock = clock;
        this.clockMillis = clock != null ? clock.millis() : START.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** The one source of every draw: items draw from it in turn, so a seed gives one log. */
    Random random() {
        return random;
    }

    /** The next line made, or null when none waits. */
    Pending poll() {
        return pending.poll();
    }

    boolean nonePending() {
        return pending.isEmpty();
    }

    /** A call's number in the {@code [C-0000001c]} tag, shared by the site's calls and the attackers' INVITEs. */
    int nextCallId() {
        return nextCallId++;
    }

    // ---------------------------------------------------------------------------------------------------- time

    void advanceClock() {
        double r = random.nextDouble();
        if (clock != null) {
            clockMillis = clock.millis();
            return;
        }
        if (r < 0.35) {
            return;
        }
        if (r < 0.70) {
            clockMillis += 1 + random.nextInt(3);
        } else {
            clockMillis += (long) (-Math.log(1.0 - random.nextDouble()) * 150.0);
        }
    }

    private void updateStamps() {
        long second = Math.floorDiv(clockMillis, 1000);
        if (second == stampSecond) {
            return;
        }
        stampSecond = second;
        LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        fileStampSeconds = String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
        syslogStamp = String.format(Locale.ROOT, "%s %2d %02d:%02d:%02d", MONTHS[t.getMonthValue() - 1],
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
    }

    // ---------------------------------------------------------------------------------------------------- layout

    /**
     * Starts a line in {@link #b} and returns it ready for the message: the file layout, or syslog for
     * NOTICE/WARNING/ERROR/SECURITY lines one time in three (logger.conf {@code syslog.local0 => notice,warning,error}).
     */
    StringBuilder start(String level, int lwp, int callId, String file, int sourceLine, String function) {
        updateStamps();
        b.setLength(0);
        boolean syslogLevel = !level.equals("VERBOSE") && !level.equals("DEBUG") && !level.equals("DTMF");
        if (syslogLevel && random.nextInt(3) == 0) {
            b.append(syslogStamp).append(' ').append(HOSTNAME).append(" asterisk[").append(PID).append("]: ")
                    .append(level).append('[').append(lwp).append(']');
            appendCallId(callId);
            b.append(": ").append(file).append(':').append(sourceLine).append(" in ").append(function).append(": ");
        } else {
            b.append('[').append(fileStampSeconds).append('.');
            int millis = (int) Math.floorMod(clockMillis, 1000);
            if (millis < 100) {
                b.append('0');
            }
            if (millis < 10) {
                b.append('0');
            }
            b.append(millis).append("] ").append(level).append('[').append(lwp).append(']');
            appendCallId(callId);
            b.append(' ').append(file).append(": ");
        }
        return b;
    }

    private void appendCallId(int callId) {
        if (callId >= 0) {
            String hex = Integer.toHexString(callId);
            b.append("[C-");
            for (int i = hex.length(); i < 8; i++) {
                b.append('0');
            }
            b.append(hex).append(']');
        }
    }

    void noise(StringBuilder line) {
        pending.add(new Pending(line.toString(), false));
    }

    void security(StringBuilder line) {
        pending.add(new Pending(line.toString(), true));
    }

    /** A raw line with no prefix: a packet dumped into the log. */
    void raw(String line) {
        pending.add(new Pending(line, false));
    }

    // ---------------------------------------------------------------------------------------------------- values

    String eventTv() {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(clockMillis, 1000),
                (int) Math.floorMod(clockMillis, 1000) * 1_000_000, ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0100", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000_000);
    }

    String uuid() {
        return hex8(random.nextInt()) + "-" + hex4() + "-" + hex4() + "-" + hex4() + "-" + hex8(random.nextInt()) + hex4();
    }

    String hex4() {
        String hex = Integer.toHexString(random.nextInt(0x10000));
        return "0000".substring(hex.length()) + hex;
    }

    String hex6() {
        String hex = Integer.toHexString(random.nextInt(0x1000000));
        return "000000".substring(hex.length()) + hex;
    }

    static String hex8(int value) {
        String hex = Integer.toHexString(value);
        return "00000000".substring(hex.length()) + hex;
    }

    static void pad(StringBuilder line, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            line.append('0');
        }
        line.append(digits);
    }
}
