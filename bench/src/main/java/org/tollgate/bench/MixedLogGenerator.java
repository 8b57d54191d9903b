package org.tollgate.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Locale;

/**
 * Writes a realistic mixed Asterisk log, the same for the same seed: about 90% of the lines are what a busy PBX logs
 * anyway (dialplan {@code Executing […]} lines, {@code Called}, bridges, RTP and pjsip debug, {@code Remote UNIX
 * connection}, {@code Using SIP RTP CoS mark}, lines that look like attacks but are not), about 10% are security
 * lines from the catalog (chan_sip, res_pjsip, pjproject, chan_iax2, AMI, named ACLs, {@code SecurityEvent=}).
 *
 * <p>Lines use the 11+ file layout ({@code [2026-01-18 17:39:50.123] NOTICE[2290][C-0000001c] chan_sip.c: …}),
 * with the verbose prefixes of 11–12 ({@code "    -- "}, {@code "  == "}) on a fifth of the VERBOSE lines and none on
 * the rest (13+); about a third of the NOTICE, WARNING, ERROR and SECURITY lines come through syslog
 * ({@code Jan 18 17:39:51 pbx1 asterisk[2281]: NOTICE[2290]: chan_sip.c:28912 in handle_request_register: …}).
 * Attackers come from 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32 only; they work in
 * campaigns, so one address sends many lines in a row, as in a real scan. The site's own phones are on 10.20.0.0/24,
 * and the PBX answers as 203.0.113.5, which no attacker uses.
 *
 * <p>Time moves on by 0 to 3 ms inside a burst and by about 150 ms between bursts, so a 1,000,000-line log covers
 * about half a day and many lines share a millisecond stamp, as they do in a real {@code full} log.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.tollgate.bench.MixedLogGenerator 1000000
 * bench/results/mixed-1m.log [seed]}
 */
public final class MixedLogGenerator {

    /** The seed the benchmarks and the bench script use. */
    public static final long DEFAULT_SEED = 20260118L;

    /** The share of lines that are security lines. */
    public static final double SECURITY_SHARE = 0.10;

    private final LogLineMaker maker;
    private final NoiseItems noise;
    private final AttackItems attacks;

    private long lines;
    private long securityLines;
    private boolean lastWasSecurity;

    public MixedLogGenerator(long seed) {
        this(seed, null);
    }

    /**
     * Lines stamped by {@code clock} (UTC) as they are made, for a live log a service reads as it is written; the
     * same content for the same seed. Without a clock the stamps start at 2026-01-18 17:39:50.123 and move on by
     * themselves.
     */
    public MixedLogGenerator(long seed, InstantSource clock) {
        this.maker = new LogLineMaker(seed, clock);
        // The calls first, then the campaigns: the order the seed's draws were made in since the first bench log.
        this.noise = new NoiseItems(maker);
        this.attacks = new AttackItems(maker);
    }

    /** The first {@code count} lines for {@code seed}, without line ends. */
    public static String[] lines(long seed, int count) {
        MixedLogGenerator generator = new MixedLogGenerator(seed);
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            out[i] = generator.nextLine();
        }
        return out;
    }

    /** The next line, without its line end. */
    public String nextLine() {
        if (maker.nonePending()) {
            // Steer towards the share: draw a security item more often while behind it, less often while ahead.
            double behind = SECURITY_SHARE * (lines + 1) - securityLines;
            double p = Math.max(0.0, Math.min(1.0, SECURITY_SHARE + behind * 0.02));
            maker.advanceClock();
            if (maker.random().nextDouble() < p) {
                attacks.item();
            } else {
                noise.item();
            }
        }
        LogLineMaker.Pending next = maker.poll();
        lines++;
        lastWasSecurity = next.security();
        if (lastWasSecurity) {
            securityLines++;
        }
        return next.line();
    }

    /** True when the line {@link #nextLine()} last returned is a security line. */
    public boolean lastWasSecurity() {
        return lastWasSecurity;
    }

    /** Lines returned so far. */
    public long lines() {
        return lines;
    }

    /**
     * Security lines returned so far: each should give the normalizer a security event. A packet that pjproject
     * dumps after "Error processing …" and the empty line after "Dropping …" are not security lines.
     */
    public long securityLines() {
        return securityLines;
    }

    /** Writes {@code count} lines, each ended by a line feed. */
    public void write(Writer out, long count) throws IOException {
        for (long i = 0; i < count; i++) {
            out.write(nextLine());
            out.write('\n');
        }
    }

    /** {@code <lines> <file> [seed]}: writes the log and reports what it holds on standard error. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: MixedLogGenerator <lines> <file> [seed]   (seed defaults to " + DEFAULT_SEED + ")");
            System.exit(2);
        }
        long count;
        long seed;
        try {
            count = Long.parseLong(args[0].replace("_", "").replace(",", ""));
            seed = args.length == 3 ? Long.parseLong(args[2]) : DEFAULT_SEED;
        } catch (NumberFormatException e) {
            System.err.println("lines and seed: expected whole numbers, were '" + args[0] + "'"
                    + (args.length == 3 ? " and '" + args[2] + "'" : ""));
            System.exit(2);
            return;
        }
        if (count < 1) {
            System.err.println("lines: expected a positive number, was " + count);
            System.exit(2);
        }
        Path file = Path.of(args[1]);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        MixedLogGenerator generator = new MixedLogGenerator(seed);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            generator.write(out, count);
        }
        long security = generator.securityLines();
        System.err.printf(Locale.ROOT, "%s: %,d lines, %,d bytes, %,d security lines (%.2f%%), seed %d%n", file, count,
                Files.size(file), security, 100.0 * security / count, seed);
    }
}
