package org.tollgate.bench;

import static org.tollgate.bench.LogLineMaker.PBX_ADDRESS;
import static org.tollgate.bench.LogLineMaker.hex8;
import static org.tollgate.bench.LogLineMaker.pad;

import java.util.Random;

/**
 * What a busy PBX logs anyway, for {@link MixedLogGenerator}: dialplan {@code Executing […]} lines of a few calls in
 * progress, {@code Called}, bridges, RTP and pjsip debug, {@code Remote UNIX connection}, {@code Using SIP RTP CoS
 * mark}, a logged pjsip packet, and lines of this PBX failing towards its own provider that read like attacks but are
 * not. Owns the calls in progress; every line goes through {@link LogLineMaker}.
 */
final class NoiseItems {

    private static final String[] APPS = {
        "Set", "NoOp", "Gosub", "GotoIf", "ExecIf", "Dial", "Answer", "Playback", "MixMonitor", "Macro", "Goto",
        "Return", "Hangup", "Wait", "Queue", "VoiceMail",
    };
    private static final String[] CONTEXTS = {
        "from-internal", "macro-dial-one", "sub-record-check", "ext-local", "from-trunk", "macro-user-callerid",
    };
    private static final String[] CODECS = {"00", "08", "09", "12"};
    private static final String[] PJ_METHODS = {"REGISTER", "INVITE", "OPTIONS"};

    private final LogLineMaker lines;
    private final Random random;
    private final Call[] calls = new Call[6];
    private int nextChannel = 0x2a;

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

    NoiseItems(LogLineMaker lines) {
        this.lines = lines;
        this.random = lines.random();
        for (int i = 0; i < calls.length; i++) {
            calls[i] = newCall();
        }
    }

    /** Makes the next noise item: one line or, for a logged packet, several. */
    void item() {
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
        call.callId = lines.nextCallId();
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
        StringBuilder line = lines.start("VERBOSE", call.lwp, call.callId, "pbx.c", 4215, "pbx_extension_helper");
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
        lines.noise(line);
    }

    private void called() {
        Call call = call();
        StringBuilder line = lines.start("VERBOSE", call.lwp, call.callId, "app_dial.c", 2710, "dial_exec_full");
        if (oldVerbose()) {
            line.append("    -- ");
        }
        line.append("Called ").append(call.peerChannel, 0, call.peerChannel.indexOf('-'));
        lines.noise(line);
    }

    private void ringingOrAnswered() {
        Call call = call();
        StringBuilder line = lines.start("VERBOSE", call.lwp, call.callId, "app_dial.c", 1285, "wait_for_answer");
        if (oldVerbose()) {
            line.append("    -- ");
        }
        if (random.nextBoolean()) {
            line.append(call.peerChannel).append(" is ringing");
        } else {
            line.append(call.peerChannel).append(" answered ").append(call.channel);
        }
        lines.noise(line);
    }

    private void bridge() {
        Call call = call();
        StringBuilder line = lines.start("VERBOSE", call.lwp, call.callId, "bridge_channel.c", 2766,
                "bridge_channel_internal_join");
        if (oldVerbose()) {
            line.append("    -- ");
        }
        line.append("Channel ").append(call.peerChannel).append(random.nextBoolean() ? " joined '" : " left '")
                .append(random.nextBoolean() ? "simple_bridge" : "native_rtp").append("' basic-bridge <")
                .append(lines.uuid()).append('>');
        lines.noise(line);
    }

    private void spawnExited() {
        Call call = call();
        StringBuilder line = lines.start("VERBOSE", call.lwp, call.callId, "pbx.c", 4540, "__ast_pbx_run");
        if (oldVerbose()) {
            line.append("  == ");
        }
        line.append("Spawn extension (").append(call.context).append(", ").append(call.callee).append(", ")
                .append(call.priority).append(") exited non-zero on '").append(call.channel).append('\'');
        lines.noise(line);
    }

    private void rtpDebug() {
        Call call = call();
        boolean got = random.nextBoolean();
        StringBuilder line = lines.start("VERBOSE", call.lwp, call.callId, "res_rtp_asterisk.c", got ? 7212 : 4911,
                got ? "ast_rtp_interpret" : "rtp_raw_write");
        String phone = "10.20.0." + (50 + random.nextInt(40)) + ":" + (10000 + 2 * random.nextInt(5000));
        line.append(got ? "Got  RTP packet from    " : "Sent RTP packet to      ").append(phone)
                .append(" (type ").append(CODECS[random.nextInt(CODECS.length)]).append(", seq ");
        pad(line, random.nextInt(65536), 6);
        line.append(", ts ").append(random.nextInt(2_000_000_000)).append(", len 000160)");
        lines.noise(line);
    }

    private void remoteConsole() {
        StringBuilder line = lines.start("VERBOSE", 1876, -1, "asterisk.c", 1675, "listener");
        line.append(random.nextBoolean() ? "Remote UNIX connection" : "Remote UNIX connection disconnected");
        lines.noise(line);
    }

    private void cosMark() {
        Call call = call();
        StringBuilder line = lines.start("VERBOSE", call.lwp, call.callId, "chan_sip.c", 6173, "sip_call");
        if (oldVerbose() || random.nextBoolean()) {
            line.append("  == ");
        }
        switch (random.nextInt(3)) {
            case 0 -> line.append("Using SIP RTP CoS mark 5");
            case 1 -> line.append("Using SIP VIDEO CoS mark 6");
            default -> line.append("Using SIP RTP TOS bits 184");
        }
        lines.noise(line);
    }

    private void pjprojectDebug() {
        StringBuilder line = lines.start("DEBUG", 2288, -1, "pjproject", 0, "<?>");
        String cseq = Integer.toString(1 + random.nextInt(60000));
        String method = PJ_METHODS[random.nextInt(PJ_METHODS.length)];
        switch (random.nextInt(4)) {
            case 0 -> line.append("\t       sip_endpoint.c Processing incoming message: Request msg ").append(method)
                    .append("/cseq=").append(cseq).append(" (rdata0x7f3c2c").append(lines.hex6()).append(')');
            case 1 -> line.append("\t       sip_endpoint.c Processing incoming message: Response msg 200/")
                    .append(method).append("/cseq=").append(cseq).append(" (rdata0x7f3c2c").append(lines.hex6()).append(')');
            case 2 -> line.append("\t   tsx0x7f3c2c").append(lines.hex6()).append(" .Transaction created for Request msg ")
                    .append(method).append("/cseq=").append(cseq).append(" (tdta0x7f3c2c").append(lines.hex6()).append(')');
            default -> line.append("\t   tsx0x7f3c2c").append(lines.hex6()).append(" .State changed from Calling to ")
                    .append(random.nextBoolean() ? "Completed" : "Terminated").append(", event=RX_MSG");
        }
        lines.noise(line);
    }

    private void distributorDebug() {
        StringBuilder line = lines.start("DEBUG", 2290 + random.nextInt(8), -1, "res_pjsip/pjsip_distributor.c", 520,
                "ast_sip_find_dialog");
        String method = PJ_METHODS[random.nextInt(PJ_METHODS.length)];
        line.append("Searching for serializer associated with dialog dlg0x7f3c2c").append(lines.hex6()).append(" for Request msg ")
                .append(method).append("/cseq=").append(1 + random.nextInt(60000)).append(" (rdata0x7f3c2c")
                .append(lines.hex6()).append(')');
        lines.noise(line);
    }

    /** {@code pjsip set logger on}: a header line, then the packet as raw lines ending in CR. */
    private void pjsipLoggerPacket() {
        String phone = "10.20.0." + (50 + random.nextInt(40));
        String user = Integer.toString(1001 + random.nextInt(40));
        StringBuilder packet = new StringBuilder(512);
        packet.append("OPTIONS sip:").append(user).append('@').append(phone).append(":5060 SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP ").append(PBX_ADDRESS).append(":5060;rport;branch=z9hG4bKPj").append(lines.uuid())
                .append("\r\n")
                .append("From: <sip:").append(user).append('@').append(PBX_ADDRESS).append(">;tag=").append(lines.uuid())
                .append("\r\n")
                .append("To: <sip:").append(user).append('@').append(phone).append(">\r\n")
                .append("Contact: <sip:").append(user).append('@').append(PBX_ADDRESS).append(":5060>\r\n")
                .append("Call-ID: ").append(lines.uuid()).append("\r\n")
                .append("CSeq: ").append(1 + random.nextInt(60000)).append(" OPTIONS\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("User-Agent: Asterisk PBX 20.11.0\r\n")
                .append("Content-Length:  0\r\n\r\n");
        StringBuilder line = lines.start("VERBOSE", 2288, -1, "res_pjsip_logger.c", 124, "logging_on_tx_msg");
        line.append("<--- Transmitting SIP request (").append(packet.length()).append(" bytes) to UDP:").append(phone)
                .append(":5060 --->");
        lines.noise(line);
        for (String part : packet.toString().split("\n", -1)) {
            lines.raw(part);
        }
    }

    private void contactStatus() {
        String user = Integer.toString(1001 + random.nextInt(40));
        StringBuilder line = lines.start("VERBOSE", 2290 + random.nextInt(8), -1, "res_pjsip/pjsip_options.c", 1188,
                "sip_options_contact_status_notify_task");
        line.append("Contact ").append(user).append("/sip:").append(user).append("@10.20.0.").append(50 + random.nextInt(40))
                .append(":5060;ob is now ").append(random.nextInt(8) == 0 ? "Unreachable" : "Reachable")
                .append(".  RTT: ").append(random.nextInt(40)).append('.').append(100 + random.nextInt(900)).append(" msec");
        lines.noise(line);
    }

    private void dtmf() {
        Call call = call();
        StringBuilder line = lines.start("DTMF", call.lwp, call.callId, "channel.c", 4012, "__ast_read");
        line.append("DTMF end '").append("0123456789*#".charAt(random.nextInt(12))).append("' received on ")
                .append(call.channel).append(", duration ").append(80 + random.nextInt(120)).append(" ms");
        lines.noise(line);
    }

    private void registered() {
        String user = Integer.toString(1001 + random.nextInt(40));
        if (random.nextBoolean()) {
            StringBuilder line = lines.start("VERBOSE", 2290 + random.nextInt(8), -1, "chan_sip.c", 24112,
                    "parse_register_contact");
            if (oldVerbose()) {
                line.append("    -- ");
            }
            line.append("Registered SIP '").append(user).append("' at 10.20.0.").append(50 + random.nextInt(40))
                    .append(":5060");
            lines.noise(line);
        } else {
            StringBuilder line = lines.start("NOTICE", 2290 + random.nextInt(8), -1, "chan_sip.c", 24370,
                    "handle_response_peerpoke");
            line.append("Peer '").append(user).append("' is now Reachable. (").append(5 + random.nextInt(40))
                    .append("ms / 2000ms)");
            lines.noise(line);
        }
    }

    /** This PBX failing towards its own provider: reads like an attack to a naive regex, but is not one. */
    private void outboundLookalike() {
        if (random.nextBoolean()) {
            StringBuilder line = lines.start("NOTICE", 2290, -1, "chan_sip.c", 24712, "handle_response_register");
            line.append("Failed to authenticate on REGISTER to '442071234567@sip.example.net' (Tries 2)");
            lines.noise(line);
        } else {
            StringBuilder line = lines.start("NOTICE", 2290, -1, "chan_sip.c", 16120, "sip_reg_timeout");
            line.append("   -- Registration for '442071234567@sip.example.net' timed out, trying again (Attempt #")
                    .append(2 + random.nextInt(5)).append(')');
            lines.noise(line);
        }
    }

    private void retransmission() {
        Call call = call();
        StringBuilder line = lines.start("WARNING", call.lwp, call.callId, "chan_sip.c", 4092, "retrans_pkt");
        line.append("Retransmission timeout reached on transmission ").append(lines.uuid()).append("@10.20.0.5")
                .append(" for seqno 102 (Critical Request) -- See https://wiki.asterisk.org/wiki/display/AST/SIP+Retransmissions");
        lines.noise(line);
    }
}
