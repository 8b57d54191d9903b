package org.tollgate.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Random;

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

    private static final int PID = 2281;
    private static final String PBX_ADDRESS = "203.0.113.5";
    private static final String HOSTNAME = "pbx1";
    private static final LocalDateTime START = LocalDateTime.of(2026, 1, 18, 17, 39, 50, 123_000_000);
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    };
    private static final String[] ATTACK_NETS = {"192.0.2.", "198.51.100.", "203.0.113."};
    private static final String[] SCANNED_USERS = {
        "100", "101", "1000", "1001", "1002", "1234", "2000", "200", "admin", "test", "user", "guest", "sip", "voip",
        "asterisk", "0000", "12345", "operator", "support", "info", "office", "101101", "9999", "5000",
    };
    private static final String[] TOLL_NUMBERS = {
        "00972592345678", "9011441632960123", "011442079460123", "0046812345678", "900441617680123", "000441617680123",
        "810441632960777", "0088213512345", "011972597654321", "90046812345678", "00441214960123", "1100441214960321",
    };
    private static final String[] APPS = {
        "Set", "NoOp", "Gosub", "GotoIf", "ExecIf", "Dial", "Answer", "Playback", "MixMonitor", "Macro", "Goto",
        "Return", "Hangup", "Wait", "Queue", "VoiceMail",
    };
    private static final String[] CONTEXTS = {
        "from-internal", "macro-dial-one", "sub-record-check", "ext-local", "from-trunk", "macro-user-callerid",
    };
    private static final String[] CODECS = {"00", "08", "09", "12"};
    private static final String[] PJ_METHODS = {"REGISTER", "INVITE", "OPTIONS"};

    private final Random random;
    private final InstantSource clock;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final StringBuilder b = new StringBuilder(512);

    private long clockMillis;
    private long stampSecond = Long.MIN_VALUE;
    private String fileStampSeconds;
    private String syslogStamp;

    private long lines;
    private long securityLines;
    private int nextCallId = 0x1c;
    private int nextChannel = 0x2a;
    private final Call[] calls = new Call[6];
    private final Campaign[] campaigns = new Campaign[16];

    /** A line made but not yet returned: a multi-line item queues several. */
    private record Pending(String line, boolean security) {
    }

    private boolean lastWasSecurity;

    /** One call through the dialplan: its callid, thread and channels. */
    private static final class Call {
        int callId;
        int lwp;
        String caller;
        String callee;
        String channel;
        String peerChannel;
        String context;
        int priority;
        int steps;
    }

    private enum Kind { CHAN_SIP_REGISTER, PJSIP_REGISTER, INVITE_SCAN, IAX2, AMI, OTHER }

    /** One attacker at work: an address, a tool, and what it goes after. */
    private static final class Campaign {
        Kind kind;
        String ip;
        boolean ipv6;
        int port;
        int lwp;
        String callIdStem;
        int attempts;
    }

    public MixedLogGenerator(long seed) {
        this(seed, null);
    }

    /**
     * Lines stamped by {@code clock} (UTC) as they are made, for a live log a service reads as it is written; the
     * same content for the same seed. Without a clock the stamps start at 2026-01-18 17:39:50.123 and move on by
     * themselves.
     */
    public MixedLogGenerator(long seed, InstantSource clock) {
        this.random = new Random(seed);
        this.clock = clock;
        this.clockMillis = clock != null ? clock.millis() : START.toInstant(ZoneOffset.UTC).toEpochMilli();
        for (int i = 0; i < calls.length; i++) {
            calls[i] = newCall();
        }
        for (int i = 0; i < campaigns.length; i++) {
            campaigns[i] = newCampaign();
        }
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
        if (pending.isEmpty()) {
            // Steer towards the share: draw a security item more often while behind it, less often while ahead.
            double behind = SECURITY_SHARE * (lines + 1) - securityLines;
            double p = Math.max(0.0, Math.min(1.0, SECURITY_SHARE + behind * 0.02));
            advanceClock();
            if (random.nextDouble() < p) {
                securityItem();
            } else {
                noiseItem();
            }
        }
        Pending next = pending.poll();
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

    // ---------------------------------------------------------------------------------------------------- time

    private void advanceClock() {
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
    private StringBuilder start(String level, int lwp, int callId, String file, int sourceLine, String function) {
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

    private void noise(StringBuilder line) {
        pending.add(new Pending(line.toString(), false));
    }

    private void security(StringBuilder line) {
        pending.add(new Pending(line.toString(), true));
    }

    /** A raw line with no prefix: a packet dumped into the log. */
    private void raw(String line) {
        pending.add(new Pending(line, false));
    }

    // ---------------------------------------------------------------------------------------------------- noise

    private void noiseItem() {
        int r = random.nextInt(1000);
        if (r < 330) {
            dialplan();
        } else if (r < 400) {
            called();
        } else if (r < 460) {
            ringingOrAnswered();
        } else if (r < 490) {
            bridge();
        } else if (r < 510) {
            spawnExited();
        } else if (r < 700) {
            rtpDebug();
        } else if (r < 720) {
            remoteConsole();
        } else if (r < 750) {
            cosMark();
        } else if (r < 850) {
            pjprojectDebug();
        } else if (r < 880) {
            distributorDebug();
        } else if (r < 883) {
            pjsipLoggerPacket();
        } else if (r < 920) {
            contactStatus();
        } else if (r < 940) {
            dtmf();
        } else if (r < 960) {
            registered();
        } else if (r < 975) {
            outboundLookalike();
        } else {
            retransmission();
        }
    }

    private Call call() {
        int i = random.nextInt(calls.length);
        Call call = calls[i];
        if (call.steps-- <= 0) {
            call = newCall();
            calls[i] = call;
        }
        return call;
    }

    private Call newCall() {
        Call call = new Call();
        call.callId = nextCallId++;
        call.lwp = 2300 + random.nextInt(60);
        boolean pjsip = random.nextInt(4) != 0;
        call.caller = Integer.toString(1001 + random.nextInt(40));
        call.callee = Integer.toString(1001 + random.nextInt(40));
        String tech = pjsip ? "PJSIP/" : "SIP/";
        call.channel = tech + call.caller + "-" + hex8(nextChannel++);
        call.peerChannel = tech + call.callee + "-" + hex8(nextChannel++);
        call.context = CONTEXTS[random.nextInt(CONTEXTS.length)];
        call.priority = 1;
        call.steps = 8 + random.nextInt(30);
        return call;
    }

    /** 11–12 keep the verbose prefix in the text; 13+ do not. */
    private boolean oldVerbose() {
        return random.nextInt(5) == 0;
    }

    private void dialplan() {
        Call call = call();
        String app = APPS[random.nextInt(APPS.length)];
        boolean old = oldVerbose();
        StringBuilder line = start("VERBOSE", call.lwp, call.callId, "pbx.c", 4215, "pbx_extension_helper");
        if (old) {
            line.append("    -- ");
        }
        String exten = call.context.startsWith("from-internal") || call.context.equals("ext-local") ? call.callee : "s";
        line.append("Executing [").append(exten).append('@').append(call.context).append(':').append(call.priority++)
                .append("] ").append(app).append("(\"").append(call.channel).append("\", \"");
        switch (app) {
            case "Set" -> line.append("__FROMEXTEN=").append(call.caller);
            case "NoOp" -> line.append("Calling ").append(call.callee).append(" from ").append(call.caller);
            case "Gosub" -> line.append("sub-record-check,s,1(exten,").append(call.callee).append(",)");
            case "GotoIf" -> line.append("$[\"${CALLERID(number)}\" = \"\"]?nocid");
            case "ExecIf" -> line.append("$[\"${REC_STATUS}\"!=\"RECORDING\"]?Set(CDR(recordingfile)=)");
            case "Dial" -> line.append(call.peerChannel, 0, call.peerChannel.indexOf('-')).append(",30,Ttr");
            case "MixMonitor" -> line.append("20260118-173950-").append(call.caller).append(".wav,ai(LOCAL_MIXMON_ID),");
            case "Playback" -> line.append("custom/welcome&silence/1");
            case "Queue" -> line.append("400,t,,,300,,,,,");
            case "VoiceMail" -> line.append(call.callee).append("@default,u");
            case "Macro" -> line.append("user-callerid,");
            case "Goto" -> line.append("ext-local,").append(call.callee).append(",1");
            case "Wait" -> line.append('1');
            default -> { }
        }
        line.append("\") in new stack");
        noise(line);
    }

    private void called() {
        Call call = call();
        StringBuilder line = start("VERBOSE", call.lwp, call.callId, "app_dial.c", 2710, "dial_exec_full");
        if (oldVerbose()) {
            line.append("    -- ");
        }
        line.append("Called ").append(call.peerChannel, 0, call.peerChannel.indexOf('-'));
        noise(line);
    }

    private void ringingOrAnswered() {
        Call call = call();
        StringBuilder line = start("VERBOSE", call.lwp, call.callId, "app_dial.c", 1285, "wait_for_answer");
        if (oldVerbose()) {
            line.append("    -- ");
        }
        if (random.nextBoolean()) {
            line.append(call.peerChannel).append(" is ringing");
        } else {
            line.append(call.peerChannel).append(" answered ").append(call.channel);
        }
        noise(line);
    }

    private void bridge() {
        Call call = call();
        StringBuilder line = start("VERBOSE", call.lwp, call.callId, "bridge_channel.c", 2766,
                "bridge_channel_internal_join");
        if (oldVerbose()) {
            line.append("    -- ");
        }
        line.append("Channel ").append(call.peerChannel).append(random.nextBoolean() ? " joined '" : " left '")
                .append(random.nextBoolean() ? "simple_bridge" : "native_rtp").append("' basic-bridge <")
                .append(uuid()).append('>');
        noise(line);
    }

    private void spawnExited() {
        Call call = call();
        StringBuilder line = start("VERBOSE", call.lwp, call.callId, "pbx.c", 4540, "__ast_pbx_run");
        if (oldVerbose()) {
            line.append("  == ");
        }
        line.append("Spawn extension (").append(call.context).append(", ").append(call.callee).append(", ")
                .append(call.priority).append(") exited non-zero on '").append(call.channel).append('\'');
        noise(line);
    }

    private void rtpDebug() {
        Call call = call();
        boolean got = random.nextBoolean();
        StringBuilder line = start("VERBOSE", call.lwp, call.callId, "res_rtp_asterisk.c", got ? 7212 : 4911,
                got ? "ast_rtp_interpret" : "rtp_raw_write");
        String phone = "10.20.0." + (50 + random.nextInt(40)) + ":" + (10000 + 2 * random.nextInt(5000));
        line.append(got ? "Got  RTP packet from    " : "Sent RTP packet to      ").append(phone)
                .append(" (type ").append(CODECS[random.nextInt(CODECS.length)]).append(", seq ");
        pad(line, random.nextInt(65536), 6);
        line.append(", ts ").append(random.nextInt(2_000_000_000)).append(", len 000160)");
        noise(line);
    }

    private void remoteConsole() {
        StringBuilder line = start("VERBOSE", 1876, -1, "asterisk.c", 1675, "listener");
        line.append(random.nextBoolean() ? "Remote UNIX connection" : "Remote UNIX connection disconnected");
        noise(line);
    }

    private void cosMark() {
        Call call = call();
        StringBuilder line = start("VERBOSE", call.lwp, call.callId, "chan_sip.c", 6173, "sip_call");
        if (oldVerbose() || random.nextBoolean()) {
            line.append("  == ");
        }
        switch (random.nextInt(3)) {
            case 0 -> line.append("Using SIP RTP CoS mark 5");
            case 1 -> line.append("Using SIP VIDEO CoS mark 6");
            default -> line.append("Using SIP RTP TOS bits 184");
        }
        noise(line);
    }

    private void pjprojectDebug() {
        StringBuilder line = start("DEBUG", 2288, -1, "pjproject", 0, "<?>");
        String cseq = Integer.toString(1 + random.nextInt(60000));
        String method = PJ_METHODS[random.nextInt(PJ_METHODS.length)];
        switch (random.nextInt(4)) {
            case 0 -> line.append("\t       sip_endpoint.c Processing incoming message: Request msg ").append(method)
                    .append("/cseq=").append(cseq).append(" (rdata0x7f3c2c").append(hex6()).append(')');
            case 1 -> line.append("\t       sip_endpoint.c Processing incoming message: Response msg 200/")
                    .append(method).append("/cseq=").append(cseq).append(" (rdata0x7f3c2c").append(hex6()).append(')');
            case 2 -> line.append("\t   tsx0x7f3c2c").append(hex6()).append(" .Transaction created for Request msg ")
                    .append(method).append("/cseq=").append(cseq).append(" (tdta0x7f3c2c").append(hex6()).append(')');
            default -> line.append("\t   tsx0x7f3c2c").append(hex6()).append(" .State changed from Calling to ")
                    .append(random.nextBoolean() ? "Completed" : "Terminated").append(", event=RX_MSG");
        }
        noise(line);
    }

    private void distributorDebug() {
        StringBuilder line = start("DEBUG", 2290 + random.nextInt(8), -1, "res_pjsip/pjsip_distributor.c", 520,
                "ast_sip_find_dialog");
        String method = PJ_METHODS[random.nextInt(PJ_METHODS.length)];
        line.append("Searching for serializer associated with dialog dlg0x7f3c2c").append(hex6()).append(" for Request msg ")
                .append(method).append("/cseq=").append(1 + random.nextInt(60000)).append(" (rdata0x7f3c2c")
                .append(hex6()).append(')');
        noise(line);
    }

    /** {@code pjsip set logger on}: a header line, then the packet as raw lines ending in CR. */
    private void pjsipLoggerPacket() {
        String phone = "10.20.0." + (50 + random.nextInt(40));
        String user = Integer.toString(1001 + random.nextInt(40));
        StringBuilder packet = new StringBuilder(512);
        packet.append("OPTIONS sip:").append(user).append('@').append(phone).append(":5060 SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP ").append(PBX_ADDRESS).append(":5060;rport;branch=z9hG4bKPj").append(uuid())
                .append("\r\n")
                .append("From: <sip:").append(user).append('@').append(PBX_ADDRESS).append(">;tag=").append(uuid())
                .append("\r\n")
                .append("To: <sip:").append(user).append('@').append(phone).append(">\r\n")
                .append("Contact: <sip:").append(user).append('@').append(PBX_ADDRESS).append(":5060>\r\n")
                .append("Call-ID: ").append(uuid()).append("\r\n")
                .append("CSeq: ").append(1 + random.nextInt(60000)).append(" OPTIONS\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("User-Agent: Asterisk PBX 20.11.0\r\n")
                .append("Content-Length:  0\r\n\r\n");
        StringBuilder line = start("VERBOSE", 2288, -1, "res_pjsip_logger.c", 124, "logging_on_tx_msg");
        line.append("<--- Transmitting SIP request (").append(packet.length()).append(" bytes) to UDP:").append(phone)
                .append(":5060 --->");
        noise(line);
        for (String part : packet.toString().split("\n", -1)) {
            raw(part);
        }
    }

    private void contactStatus() {
        String user = Integer.toString(1001 + random.nextInt(40));
        StringBuilder line = start("VERBOSE", 2290 + random.nextInt(8), -1, "res_pjsip/pjsip_options.c", 1188,
                "sip_options_contact_status_notify_task");
        line.append("Contact ").append(user).append("/sip:").append(user).append("@10.20.0.").append(50 + random.nextInt(40))
                .append(":5060;ob is now ").append(random.nextInt(8) == 0 ? "Unreachable" : "Reachable")
                .append(".  RTT: ").append(random.nextInt(40)).append('.').append(100 + random.nextInt(900)).append(" msec");
        noise(line);
    }

    private void dtmf() {
        Call call = call();
        StringBuilder line = start("DTMF", call.lwp, call.callId, "channel.c", 4012, "__ast_read");
        line.append("DTMF end '").append("0123456789*#".charAt(random.nextInt(12))).append("' received on ")
                .append(call.channel).append(", duration ").append(80 + random.nextInt(120)).append(" ms");
        noise(line);
    }

    private void registered() {
        String user = Integer.toString(1001 + random.nextInt(40));
        if (random.nextBoolean()) {
            StringBuilder line = start("VERBOSE", 2290 + random.nextInt(8), -1, "chan_sip.c", 24112,
                    "parse_register_contact");
            if (oldVerbose()) {
                line.append("    -- ");
            }
            line.append("Registered SIP '").append(user).append("' at 10.20.0.").append(50 + random.nextInt(40))
                    .append(":5060");
            noise(line);
        } else {
            StringBuilder line = start("NOTICE", 2290 + random.nextInt(8), -1, "chan_sip.c", 24370,
                    "handle_response_peerpoke");
            line.append("Peer '").append(user).append("' is now Reachable. (").append(5 + random.nextInt(40))
                    .append("ms / 2000ms)");
            noise(line);
        }
    }

    /** This PBX failing towards its own provider: reads like an attack to a naive regex, but is not one. */
    private void outboundLookalike() {
        if (random.nextBoolean()) {
            StringBuilder line = start("NOTICE", 2290, -1, "chan_sip.c", 24712, "handle_response_register");
            line.append("Failed to authenticate on REGISTER to '442071234567@sip.example.net' (Tries 2)");
            noise(line);
        } else {
            StringBuilder line = start("NOTICE", 2290, -1, "chan_sip.c", 16120, "sip_reg_timeout");
            line.append("   -- Registration for '442071234567@sip.example.net' timed out, trying again (Attempt #")
                    .append(2 + random.nextInt(5)).append(')');
            noise(line);
        }
    }

    private void retransmission() {
        Call call = call();
        StringBuilder line = start("WARNING", call.lwp, call.callId, "chan_sip.c", 4092, "retrans_pkt");
        line.append("Retransmission timeout reached on transmission ").append(uuid()).append("@10.20.0.5")
                .append(" for seqno 102 (Critical Request) -- See https://wiki.asterisk.org/wiki/display/AST/SIP+Retransmissions");
        noise(line);
    }

    // ---------------------------------------------------------------------------------------------------- attacks

    private void securityItem() {
        int i = random.nextInt(campaigns.length);
        Campaign campaign = campaigns[i];
        if (campaign.attempts++ > 40 && random.nextInt(50) == 0) {
            campaign = newCampaign();
            campaigns[i] = campaign;
        }
        switch (campaign.kind) {
            case CHAN_SIP_REGISTER -> chanSipRegister(campaign);
            case PJSIP_REGISTER -> pjsipRequest(campaign);
            case INVITE_SCAN -> inviteScan(campaign);
            case IAX2 -> iax2(campaign);
            case AMI -> ami(campaign);
            default -> other(campaign);
        }
    }

    private Campaign newCampaign() {
        Campaign campaign = new Campaign();
        int r = random.nextInt(100);
        campaign.kind = r < 28 ? Kind.CHAN_SIP_REGISTER : r < 58 ? Kind.PJSIP_REGISTER : r < 78 ? Kind.INVITE_SCAN
                : r < 85 ? Kind.IAX2 : r < 91 ? Kind.AMI : Kind.OTHER;
        campaign.ipv6 = random.nextInt(10) == 0;
        if (campaign.ipv6) {
            campaign.ip = "2001:db8:" + Integer.toHexString(1 + random.nextInt(0xfffe)) + "::"
                    + Integer.toHexString(1 + random.nextInt(0xfffe));
        } else {
            String ip;
            do {
                ip = ATTACK_NETS[random.nextInt(ATTACK_NETS.length)] + (1 + random.nextInt(254));
            } while (ip.equals(PBX_ADDRESS));
            campaign.ip = ip;
        }
        campaign.port = random.nextInt(3) == 0 ? 5060 : 5060 + random.nextInt(60000 - 5060);
        campaign.lwp = 2290 + random.nextInt(8);
        campaign.callIdStem = Long.toString(1_000_000_000L + (random.nextLong() & 0x7fffffffL));
        return campaign;
    }

    private String hostPort(Campaign campaign) {
        return campaign.ipv6 ? "[" + campaign.ip + "]:" + campaign.port : campaign.ip + ":" + campaign.port;
    }

    private String scannedUser() {
        return random.nextInt(3) == 0 ? Integer.toString(100 + random.nextInt(9900))
                : SCANNED_USERS[random.nextInt(SCANNED_USERS.length)];
    }

    private String sipCallId(Campaign campaign) {
        return switch (random.nextInt(3)) {
            case 0 -> campaign.callIdStem + "-" + (10_000_000 + random.nextInt(90_000_000)) + "-" + random.nextInt(9_999_999);
            case 1 -> uuid();
            default -> Long.toString(100_000_000_000L + (random.nextLong() & 0xffffffffffL));
        };
    }

    private void chanSipRegister(Campaign campaign) {
        String user = scannedUser();
        int r = random.nextInt(100);
        if (r < 82) {
            StringBuilder line = start("NOTICE", campaign.lwp, -1, "chan_sip.c", 28912, "handle_request_register");
            String reason = r < 60 ? "Wrong password" : r < 70 ? "No matching peer found" : r < 74
                    ? "Username/auth name mismatch" : r < 78 ? "Device does not match ACL" : r < 80
                    ? "Not a local domain" : "Peer is not supposed to register";
            line.append("Registration from '\"").append(user).append("\"<sip:").append(user).append('@')
                    .append(PBX_ADDRESS).append(">' failed for '").append(hostPort(campaign)).append("' - ").append(reason);
            security(line);
        } else if (r < 94) {
            StringBuilder line = start("SECURITY", 2301, -1, "res_security_log.c", 96, "security_event_stasis_cb");
            boolean invalidPassword = random.nextBoolean();
            line.append("SecurityEvent=\"").append(invalidPassword ? "InvalidPassword" : "InvalidAccountID")
                    .append("\",EventTV=\"").append(eventTv()).append("\",Severity=\"Error\",Service=\"SIP\",EventVersion=\"")
                    .append(invalidPassword ? 2 : 1).append("\",AccountID=\"").append(user)
                    .append("\",SessionID=\"0x7f3c2c").append(hex6()).append("\",LocalAddress=\"IPV4/UDP/")
                    .append(PBX_ADDRESS).append("/5060\",RemoteAddress=\"").append(securityAddress(campaign, "UDP"))
                    .append('"');
            if (invalidPassword) {
                line.append(",Challenge=\"").append(hex8(random.nextInt())).append("\",ReceivedChallenge=\"")
                        .append(hex8(random.nextInt())).append("\",ReceivedHash=\"").append(uuid().replace("-", ""))
                        .append('"');
            }
            security(line);
        } else if (r < 97) {
            StringBuilder line = start("NOTICE", campaign.lwp, -1, "acl.c", 795, "ast_apply_acl_internal");
            line.append("SIP Peer ACL: Rejecting '").append(campaign.ip).append("' due to a failure to pass ACL '")
                    .append(random.nextBoolean() ? "(BASELINE)" : "office-only").append('\'');
            security(line);
        } else {
            StringBuilder line = start("NOTICE", campaign.lwp, -1, "chan_sip.c", 29860, "handle_incoming");
            line.append("Unknown SIP command '").append(random.nextBoolean() ? "INFORMATION" : "PROPFIND").append("' from '")
                    .append(hostPort(campaign)).append('\'');
            security(line);
        }
    }

    private void pjsipRequest(Campaign campaign) {
        String user = scannedUser();
        int r = random.nextInt(100);
        if (r < 80) {
            StringBuilder line = start("NOTICE", campaign.lwp, -1, "res_pjsip/pjsip_distributor.c", 676,
                    "log_failed_request");
            String method = r < 64 ? "REGISTER" : r < 74 ? "INVITE" : "OPTIONS";
            String reason = r % 4 == 0 ? "No matching endpoint found" : r % 17 == 0
                    ? "No matching endpoint found after 5 tries in " + (1000 + random.nextInt(4000)) + "."
                    + (100 + random.nextInt(900)) + " ms" : r % 29 == 0 ? "Not match Endpoint ACL" : "Failed to authenticate";
            line.append("Request '").append(method).append("' from '");
            if (random.nextBoolean()) {
                line.append('"').append(user).append("\" ");
            }
            line.append("<sip:").append(user).append('@').append(PBX_ADDRESS).append(">' failed for '")
                    .append(hostPort(campaign)).append("' (callid: ").append(sipCallId(campaign)).append(") - ")
                    .append(reason);
            security(line);
        } else if (r < 92) {
            StringBuilder line = start("SECURITY", 2301, -1, "res_security_log.c", 96, "security_event_stasis_cb");
            int type = random.nextInt(10);
            String event = type < 5 ? "ChallengeResponseFailed" : type < 8 ? "InvalidAccountID" : "FailedACL";
            line.append("SecurityEvent=\"").append(event).append("\",EventTV=\"").append(eventTv())
                    .append("\",Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"")
                    .append(type < 5 ? user : type < 8 ? user : "<unknown>").append("\",SessionID=\"")
                    .append(sipCallId(campaign)).append("\",LocalAddress=\"IPV4/UDP/").append(PBX_ADDRESS)
                    .append("/5060\",RemoteAddress=\"").append(securityAddress(campaign, "UDP")).append('"');
            if (type < 5) {
                line.append(",Challenge=\"").append(1768754390 + random.nextInt(40000)).append('/')
                        .append(uuid().replace("-", "")).append("\",Response=\"").append(uuid().replace("-", ""))
                        .append("\",ExpectedResponse=\"\"");
            } else if (type >= 8) {
                line.append(",ACLName=\"not_match_endpoint_acl\"");
            }
            security(line);
        } else if (r < 96) {
            StringBuilder line = start("WARNING", campaign.lwp, -1, "res_pjsip_registrar.c", 1073,
                    "registrar_on_rx_request");
            line.append("Endpoint 'anonymous' (").append(campaign.ip).append(':').append(campaign.port)
                    .append(") has no configured AORs");
            security(line);
        } else {
            StringBuilder line = start("WARNING", campaign.lwp, -1, "res_pjsip_registrar.c", 1122,
                    "find_registrar_aor");
            line.append("AOR '").append(user).append("' not found for endpoint '").append(user).append("' (")
                    .append(campaign.ip).append(':').append(campaign.port).append(')');
            security(line);
        }
    }

    private void inviteScan(Campaign campaign) {
        String number = TOLL_NUMBERS[random.nextInt(TOLL_NUMBERS.length)];
        int r = random.nextInt(100);
        if (r < 45) {
            int callId = nextCallId++;
            StringBuilder line = start("NOTICE", campaign.lwp, callId, "chan_sip.c", 26051, "handle_request_invite");
            line.append("Call from '").append(random.nextInt(4) == 0 ? scannedUser() : "").append("' (")
                    .append(hostPort(campaign)).append(") to extension '").append(number)
                    .append("' rejected because extension not found in context '")
                    .append(random.nextBoolean() ? "default" : "public").append("'.");
            security(line);
        } else if (r < 60) {
            int callId = nextCallId++;
            StringBuilder line = start("NOTICE", campaign.lwp, callId, "chan_sip.c", 17255,
                    "send_check_user_failure_response");
            String user = scannedUser();
            line.append("Failed to authenticate device \"").append(user).append("\" <sip:").append(user).append('@')
                    .append(random.nextBoolean() ? PBX_ADDRESS : campaign.ipv6 ? "[" + campaign.ip + "]" : campaign.ip)
                    .append(">;tag=").append(hex8(random.nextInt())).append(" for INVITE, code = -1");
            security(line);
        } else if (r < 92) {
            StringBuilder line = start("NOTICE", campaign.lwp, -1, "res_pjsip_session.c", 3912, "new_invite");
            line.append(" anonymous: Call (UDP:").append(hostPort(campaign)).append(") to extension '").append(number)
                    .append("' rejected because extension not found in context 'anonymous'.");
            security(line);
        } else {
            int callId = nextCallId++;
            StringBuilder line = start("WARNING", campaign.lwp, callId, "Ext. s", 3, "@ from-trunk-custom");
            line.append("\"Rejecting unknown SIP connection from ").append(campaign.ip).append('"');
            security(line);
        }
    }

    private void iax2(Campaign campaign) {
        String user = scannedUser();
        String address = campaign.ipv6 ? "[" + campaign.ip + "]:4569" : campaign.ip + ":4569";
        int r = random.nextInt(100);
        if (r < 55) {
            int callId = nextCallId++;
            StringBuilder line = start("WARNING", campaign.lwp, callId, "chan_iax2.c", 11542, "socket_process_helper");
            line.append("Host ").append(address).append(" failed to authenticate as ").append(user);
            security(line);
        } else if (r < 75) {
            StringBuilder line = start("NOTICE", campaign.lwp, -1, "chan_iax2.c", 8573, "register_verify");
            line.append("No registration for peer '").append(user).append("' (from ").append(campaign.ip).append(')');
            security(line);
        } else if (r < 85) {
            StringBuilder line = start("NOTICE", campaign.lwp, -1, "chan_iax2.c", 8631, "register_verify");
            line.append("Host ").append(campaign.ip).append(" failed MD5 authentication for '").append(user)
                    .append("' (").append(uuid().replace("-", "")).append(" != ").append(uuid().replace("-", ""))
                    .append(')');
            security(line);
        } else {
            int callId = nextCallId++;
            StringBuilder line = start("NOTICE", campaign.lwp, callId, "chan_iax2.c", 11870, "socket_process_helper");
            line.append("Rejected connect attempt from ").append(address).append(", request '")
                    .append(TOLL_NUMBERS[random.nextInt(TOLL_NUMBERS.length)]).append("@default' does not exist");
            security(line);
        }
    }

    private void ami(Campaign campaign) {
        String user = random.nextBoolean() ? "admin" : random.nextBoolean() ? "manager" : "root";
        int r = random.nextInt(100);
        if (r < 70) {
            StringBuilder line = start("NOTICE", 2400 + random.nextInt(40), -1, "manager.c", 3447, "authenticate");
            line.append(campaign.ip).append(random.nextBoolean() ? " failed to authenticate as '"
                    : " tried to authenticate with nonexistent user '").append(user).append('\'');
            security(line);
        } else {
            StringBuilder line = start("SECURITY", 2301, -1, "res_security_log.c", 96, "security_event_stasis_cb");
            boolean invalidPassword = random.nextBoolean();
            line.append("SecurityEvent=\"").append(invalidPassword ? "InvalidPassword" : "InvalidAccountID")
                    .append("\",EventTV=\"").append(eventTv()).append("\",Severity=\"Error\",Service=\"AMI\",EventVersion=\"")
                    .append(invalidPassword ? 2 : 1).append("\",AccountID=\"").append(user)
                    .append("\",SessionID=\"0x7f3c2c").append(hex6())
                    .append("\",LocalAddress=\"IPV4/TCP/0.0.0.0/5038\",RemoteAddress=\"")
                    .append(securityAddress(campaign, "TCP")).append("\",SessionTV=\"").append(eventTv()).append('"');
            security(line);
        }
    }

    private void other(Campaign campaign) {
        int r = random.nextInt(100);
        if (r < 35) {
            // The site's own phones: informational security-log lines the normalizer reports but never counts.
            StringBuilder line = start("SECURITY", 2301, -1, "res_security_log.c", 96, "security_event_stasis_cb");
            boolean sent = random.nextBoolean();
            String phone = "10.20.0." + (50 + random.nextInt(40));
            String user = Integer.toString(1001 + random.nextInt(40));
            line.append("SecurityEvent=\"").append(sent ? "ChallengeSent" : "SuccessfulAuth").append("\",EventTV=\"")
                    .append(eventTv()).append("\",Severity=\"Informational\",Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"")
                    .append(user).append("\",SessionID=\"").append(uuid()).append("\",LocalAddress=\"IPV4/UDP/")
                    .append(PBX_ADDRESS).append("/5060\",RemoteAddress=\"IPV4/UDP/").append(phone).append("/5060\"");
            line.append(sent ? ",Challenge=\"" + (1768754390 + random.nextInt(40000)) + "/" + uuid().replace("-", "") + "\""
                    : ",UsingPassword=\"1\"");
            security(line);
        } else if (r < 60) {
            StringBuilder line = start("NOTICE", campaign.lwp, -1, "acl.c", 795, "ast_apply_acl_internal");
            line.append("SIP ACL: Rejecting '").append(campaign.ip).append("' due to a failure to pass ACL '")
                    .append("trusted-lan'");
            security(line);
        } else if (r < 85) {
            StringBuilder line = start("WARNING", 2288, -1, "pjproject", 0, "<?>");
            line.append("\t       sip_transport.c Dropping ").append(300 + random.nextInt(900))
                    .append(" bytes packet from UDP ").append(campaign.ip).append(':').append(campaign.port)
                    .append(" : PJSIP syntax error exception when parsing '").append(random.nextBoolean() ? "CSeq" : "Via")
                    .append("' header on line ").append(2 + random.nextInt(8)).append(" col ").append(1 + random.nextInt(9));
            security(line);
            // The forwarder adds a line feed to a message that already ends in one.
            raw("");
        } else if (r < 93) {
            pjprojectErrorWithDump(campaign);
        } else {
            StringBuilder line = start("WARNING", campaign.lwp, -1, "chan_sip.c", 16702, "check_auth");
            line.append("username mismatch, have <").append(1001 + random.nextInt(40)).append(">, digest has <")
                    .append(scannedUser()).append('>');
            security(line);
        }
    }

    /** P11: the header, then the attacker's packet as raw lines, then the end marker. */
    private void pjprojectErrorWithDump(Campaign campaign) {
        String user = scannedUser();
        String via = campaign.ipv6 ? "[" + campaign.ip + "]" : campaign.ip;
        String packet = "REGISTER sip:" + PBX_ADDRESS + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + via + ":" + campaign.port + ";branch=z9hG4bK-" + hex8(random.nextInt()) + ";;rport\r\n"
                + "From: \"" + user + "\" <sip:" + user + "@" + PBX_ADDRESS + ">;tag=" + hex8(random.nextInt()) + "\r\n"
                + "To: \"" + user + "\" <sip:" + user + "@" + PBX_ADDRESS + ">\r\n"
                + "Call-ID: " + sipCallId(campaign) + "\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + "Contact: <sip:" + user + "@" + via + ":" + campaign.port + ">\r\n"
                + "Max-Forwards: 70\r\n"
                + "User-Agent: friendly-scanner\r\n"
                + "Content-Length: 0\r\n\r\n";
        StringBuilder line = start("ERROR", 2288, -1, "pjproject", 0, "<?>");
        line.append("\t       sip_transport.c Error processing ").append(packet.length())
                .append(" bytes packet from UDP ").append(campaign.ip).append(':').append(campaign.port)
                .append(" : PJSIP syntax error exception when parsing 'Via' header on line 2 col 1:");
        security(line);
        for (String part : packet.split("\n", -1)) {
            raw(part);
        }
        raw("-- end of packet.");
    }

    private String securityAddress(Campaign campaign, String transport) {
        return (campaign.ipv6 ? "IPV6/" : "IPV4/") + transport + "/" + campaign.ip + "/" + campaign.port;
    }

    // ---------------------------------------------------------------------------------------------------- values

    private String eventTv() {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(clockMillis, 1000),
                (int) Math.floorMod(clockMillis, 1000) * 1_000_000, ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0100", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000_000);
    }

    private String uuid() {
        return hex8(random.nextInt()) + "-" + hex4() + "-" + hex4() + "-" + hex4() + "-" + hex8(random.nextInt()) + hex4();
    }

    private String hex4() {
        String hex = Integer.toHexString(random.nextInt(0x10000));
        return "0000".substring(hex.length()) + hex;
    }

    private String hex6() {
        String hex = Integer.toHexString(random.nextInt(0x1000000));
        return "000000".substring(hex.length()) + hex;
    }

    private static String hex8(int value) {
        String hex = Integer.toHexString(value);
        return "00000000".substring(hex.length()) + hex;
    }

    private static void pad(StringBuilder line, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            line.append('0');
        }
        line.append(digits);
    }
}
