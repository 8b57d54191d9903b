package org.tollgate.bench;

import static org.tollgate.bench.LogLineMaker.PBX_ADDRESS;
import static org.tollgate.bench.LogLineMaker.hex8;

import java.util.Random;

/**
 * The security lines of {@link MixedLogGenerator}, from the catalog: chan_sip, res_pjsip, pjproject, chan_iax2, AMI,
 * named ACLs and {@code SecurityEvent=}. Attackers work in campaigns (an address, a tool, what it goes after), so one
 * address sends many lines in a row, as in a real scan; they come from documentation addresses only. Owns the
 * campaigns; every line goes through {@link LogLineMaker}.
 */
final class AttackItems {

    private static final String[] ATTACK_NETS = {"192.0.2.", "198.51.100.", "203.0.113."};
    private static final String[] SCANNED_USERS = {
        "100", "101", "1000", "1001", "1002", "1234", "2000", "200", "admin", "test", "user", "guest", "sip", "voip",
        "asterisk", "0000", "12345", "operator", "support", "info", "office", "101101", "9999", "5000",
    };
    private static final String[] TOLL_NUMBERS = {
        "00972592345678", "9011441632960123", "011442079460123", "0046812345678", "900441617680123", "000441617680123",
        "810441632960777", "0088213512345", "011972597654321", "90046812345678", "00441214960123", "1100441214960321",
    };

    private final LogLineMaker lines;
    private final Random random;
    private final Campaign[] campaigns = new Campaign[16];

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

    AttackItems(LogLineMaker lines) {
        this.lines = lines;
        this.random = lines.random();
        for (int i = 0; i < campaigns.length; i++) {
            campaigns[i] = newCampaign();
        }
    }

    /** Makes the next security item, from one of the attackers at work. */
    void item() {
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
            case 1 -> lines.uuid();
            default -> Long.toString(100_000_000_000L + (random.nextLong() & 0xffffffffffL));
        };
    }

    private void chanSipRegister(Campaign campaign) {
        String user = scannedUser();
        int r = random.nextInt(100);
        if (r < 82) {
            StringBuilder line = lines.start("NOTICE", campaign.lwp, -1, "chan_sip.c", 28912, "handle_request_register");
            String reason = r < 60 ? "Wrong password" : r < 70 ? "No matching peer found" : r < 74
                    ? "Username/auth name mismatch" : r < 78 ? "Device does not match ACL" : r < 80
                    ? "Not a local domain" : "Peer is not supposed to register";
            line.append("Registration from '\"").append(user).append("\"<sip:").append(user).append('@')
                    .append(PBX_ADDRESS).append(">' failed for '").append(hostPort(campaign)).append("' - ").append(reason);
            lines.security(line);
        } else if (r < 94) {
            StringBuilder line = lines.start("SECURITY", 2301, -1, "res_security_log.c", 96, "security_event_stasis_cb");
            boolean invalidPassword = random.nextBoolean();
            line.append("SecurityEvent=\"").append(invalidPassword ? "InvalidPassword" : "InvalidAccountID")
                    .append("\",EventTV=\"").append(lines.eventTv()).append("\",Severity=\"Error\",Service=\"SIP\",EventVersion=\"")
                    .append(invalidPassword ? 2 : 1).append("\",AccountID=\"").append(user)
                    .append("\",SessionID=\"0x7f3c2c").append(lines.hex6()).append("\",LocalAddress=\"IPV4/UDP/")
                    .append(PBX_ADDRESS).append("/5060\",RemoteAddress=\"").append(securityAddress(campaign, "UDP"))
                    .append('"');
            if (invalidPassword) {
                line.append(",Challenge=\"").append(hex8(random.nextInt())).append("\",ReceivedChallenge=\"")
                        .append(hex8(random.nextInt())).append("\",ReceivedHash=\"").append(lines.uuid().replace("-", ""))
                        .append('"');
            }
            lines.security(line);
        } else if (r < 97) {
            StringBuilder line = lines.start("NOTICE", campaign.lwp, -1, "acl.c", 795, "ast_apply_acl_internal");
            line.append("SIP Peer ACL: Rejecting '").append(campaign.ip).append("' due to a failure to pass ACL '")
                    .append(random.nextBoolean() ? "(BASELINE)" : "office-only").append('\'');
            lines.security(line);
        } else {
            StringBuilder line = lines.start("NOTICE", campaign.lwp, -1, "chan_sip.c", 29860, "handle_incoming");
            line.append("Unknown SIP command '").append(random.nextBoolean() ? "INFORMATION" : "PROPFIND").append("' from '")
                    .append(hostPort(campaign)).append('\'');
            lines.security(line);
        }
    }

    private void pjsipRequest(Campaign campaign) {
        String user = scannedUser();
        int r = random.nextInt(100);
        if (r < 80) {
            StringBuilder line = lines.start("NOTICE", campaign.lwp, -1, "res_pjsip/pjsip_distributor.c", 676,
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
            lines.security(line);
        } else if (r < 92) {
            StringBuilder line = lines.start("SECURITY", 2301, -1, "res_security_log.c", 96, "security_event_stasis_cb");
            int type = random.nextInt(10);
            String event = type < 5 ? "ChallengeResponseFailed" : type < 8 ? "InvalidAccountID" : "FailedACL";
            line.append("SecurityEvent=\"").append(event).append("\",EventTV=\"").append(lines.eventTv())
                    .append("\",Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"")
                    .append(type < 5 ? user : type < 8 ? user : "<unknown>").append("\",SessionID=\"")
                    .append(sipCallId(campaign)).append("\",LocalAddress=\"IPV4/UDP/").append(PBX_ADDRESS)
                    .append("/5060\",RemoteAddress=\"").append(securityAddress(campaign, "UDP")).append('"');
            if (type < 5) {
                line.append(",Challenge=\"").append(1768754390 + random.nextInt(40000)).append('/')
                        .append(lines.uuid().replace("-", "")).append("\",Response=\"").append(lines.uuid().replace("-", ""))
                        .append("\",ExpectedResponse=\"\"");
            } else if (type >= 8) {
                line.append(",ACLName=\"not_match_endpoint_acl\"");
            }
            lines.security(line);
        } else if (r < 96) {
            StringBuilder line = lines.start("WARNING", campaign.lwp, -1, "res_pjsip_registrar.c", 1073,
                    "registrar_on_rx_request");
            line.append("Endpoint 'anonymous' (").append(campaign.ip).append(':').append(campaign.port)
                    .append(") has no configured AORs");
            lines.security(line);
        } else {
            StringBuilder line = lines.start("WARNING", campaign.lwp, -1, "res_pjsip_registrar.c", 1122,
                    "find_registrar_aor");
            line.append("AOR '").append(user).append("' not found for endpoint '").append(user).append("' (")
                    .append(campaign.ip).append(':').append(campaign.port).append(')');
            lines.security(line);
        }
    }

    private void inviteScan(Campaign campaign) {
        String number = TOLL_NUMBERS[random.nextInt(TOLL_NUMBERS.length)];
        int r = random.nextInt(100);
        if (r < 45) {
            int callId = lines.nextCallId();
            StringBuilder line = lines.start("NOTICE", campaign.lwp, callId, "chan_sip.c", 26051, "handle_request_invite");
            line.append("Call from '").append(random.nextInt(4) == 0 ? scannedUser() : "").append("' (")
                    .append(hostPort(campaign)).append(") to extension '").append(number)
                    .append("' rejected because extension not found in context '")
                    .append(random.nextBoolean() ? "default" : "public").append("'.");
            lines.security(line);
        } else if (r < 60) {
            int callId = lines.nextCallId();
            StringBuilder line = lines.start("NOTICE", campaign.lwp, callId, "chan_sip.c", 17255,
                    "send_check_user_failure_response");
            String user = scannedUser();
            line.append("Failed to authenticate device \"").append(user).append("\" <sip:").append(user).append('@')
                    .append(random.nextBoolean() ? PBX_ADDRESS : campaign.ipv6 ? "[" + campaign.ip + "]" : campaign.ip)
                    .append(">;tag=").append(hex8(random.nextInt())).append(" for INVITE, code = -1");
            lines.security(line);
        } else if (r < 92) {
            StringBuilder line = lines.start("NOTICE", campaign.lwp, -1, "res_pjsip_session.c", 3912, "new_invite");
            line.append(" anonymous: Call (UDP:").append(hostPort(campaign)).append(") to extension '").append(number)
                    .append("' rejected because extension not found in context 'anonymous'.");
            lines.security(line);
        } else {
            int callId = lines.nextCallId();
            StringBuilder line = lines.start("WARNING", campaign.lwp, callId, "Ext. s", 3, "@ from-trunk-custom");
            line.append("\"Rejecting unknown SIP connection from ").append(campaign.ip).append('"');
            lines.security(line);
        }
    }

    private void iax2(Campaign campaign) {
        String user = scannedUser();
        String address = campaign.ipv6 ? "[" + campaign.ip + "]:4569" : campaign.ip + ":4569";
        int r = random.nextInt(100);
        if (r < 55) {
            int callId = lines.nextCallId();
            StringBuilder line = lines.start("WARNING", campaign.lwp, callId, "chan_iax2.c", 11542, "socket_process_helper");
            line.append("Host ").append(address).append(" failed to authenticate as ").append(user);
            lines.security(line);
        } else if (r < 75) {
            StringBuilder line = lines.start("NOTICE", campaign.lwp, -1, "chan_iax2.c", 8573, "register_verify");
            line.append("No registration for peer '").append(user).append("' (from ").append(campaign.ip).append(')');
            lines.security(line);
        } else if (r < 85) {
            StringBuilder line = lines.start("NOTICE", campaign.lwp, -1, "chan_iax2.c", 8631, "register_verify");
            line.append("Host ").append(campaign.ip).append(" failed MD5 authentication for '").append(user)
                    .append("' (").append(lines.uuid().replace("-", "")).append(" != ").append(lines.uuid().replace("-", ""))
                    .append(')');
            lines.security(line);
        } else {
            int callId = lines.nextCallId();
            StringBuilder line = lines.start("NOTICE", campaign.lwp, callId, "chan_iax2.c", 11870, "socket_process_helper");
            line.append("Rejected connect attempt from ").append(address).append(", request '")
                    .append(TOLL_NUMBERS[random.nextInt(TOLL_NUMBERS.length)]).append("@default' does not exist");
            lines.security(line);
        }
    }

    private void ami(Campaign campaign) {
        String user = random.nextBoolean() ? "admin" : random.nextBoolean() ? "manager" : "root";
        int r = random.nextInt(100);
        if (r < 70) {
            StringBuilder line = lines.start("NOTICE", 2400 + random.nextInt(40), -1, "manager.c", 3447, "authenticate");
            line.append(campaign.ip).append(random.nextBoolean() ? " failed to authenticate as '"
                    : " tried to authenticate with nonexistent user '").append(user).append('\'');
            lines.security(line);
        } else {
            StringBuilder line = lines.start("SECURITY", 2301, -1, "res_security_log.c", 96, "security_event_stasis_cb");
            boolean invalidPassword = random.nextBoolean();
            line.append("SecurityEvent=\"").append(invalidPassword ? "InvalidPassword" : "InvalidAccountID")
                    .append("\",EventTV=\"").append(lines.eventTv()).append("\",Severity=\"Error\",Service=\"AMI\",EventVersion=\"")
                    .append(invalidPassword ? 2 : 1).append("\",AccountID=\"").append(user)
                    .append("\",SessionID=\"0x7f3c2c").append(lines.hex6())
                    .append("\",LocalAddress=\"IPV4/TCP/0.0.0.0/5038\",RemoteAddress=\"")
                    .append(securityAddress(campaign, "TCP")).append("\",SessionTV=\"").append(lines.eventTv()).append('"');
            lines.security(line);
        }
    }

    private void other(Campaign campaign) {
        int r = random.nextInt(100);
        if (r < 35) {
            // The site's own phones: informational security-log lines the normalizer reports but never counts.
            StringBuilder line = lines.start("SECURITY", 2301, -1, "res_security_log.c", 96, "security_event_stasis_cb");
            boolean sent = random.nextBoolean();
            String phone = "10.20.0." + (50 + random.nextInt(40));
            String user = Integer.toString(1001 + random.nextInt(40));
            line.append("SecurityEvent=\"").append(sent ? "ChallengeSent" : "SuccessfulAuth").append("\",EventTV=\"")
                    .append(lines.eventTv()).append("\",Severity=\"Informational\",Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"")
                    .append(user).append("\",SessionID=\"").append(lines.uuid()).append("\",LocalAddress=\"IPV4/UDP/")
                    .append(PBX_ADDRESS).append("/5060\",RemoteAddress=\"IPV4/UDP/").append(phone).append("/5060\"");
            line.append(sent ? ",Challenge=\"" + (1768754390 + random.nextInt(40000)) + "/" + lines.uuid().replace("-", "") + "\""
                    : ",UsingPassword=\"1\"");
            lines.security(line);
        } else if (r < 60) {
            StringBuilder line = lines.start("NOTICE", campaign.lwp, -1, "acl.c", 795, "ast_apply_acl_internal");
            line.append("SIP ACL: Rejecting '").append(campaign.ip).append("' due to a failure to pass ACL '")
                    .append("trusted-lan'");
            lines.security(line);
        } else if (r < 85) {
            StringBuilder line = lines.start("WARNING", 2288, -1, "pjproject", 0, "<?>");
            line.append("\t       sip_transport.c Dropping ").append(300 + random.nextInt(900))
                    .append(" bytes packet from UDP ").append(campaign.ip).append(':').append(campaign.port)
                    .append(" : PJSIP syntax error exception when parsing '").append(random.nextBoolean() ? "CSeq" : "Via")
                    .append("' header on line ").append(2 + random.nextInt(8)).append(" col ").append(1 + random.nextInt(9));
            lines.security(line);
            // The forwarder adds a line feed to a message that already ends in one.
            lines.raw("");
        } else if (r < 93) {
            pjprojectErrorWithDump(campaign);
        } else {
            StringBuilder line = lines.start("WARNING", campaign.lwp, -1, "chan_sip.c", 16702, "check_auth");
            line.append("username mismatch, have <").append(1001 + random.nextInt(40)).append(">, digest has <")
                    .append(scannedUser()).append('>');
            lines.security(line);
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
        StringBuilder line = lines.start("ERROR", 2288, -1, "pjproject", 0, "<?>");
        line.append("\t       sip_transport.c Error processing ").append(packet.length())
                .append(" bytes packet from UDP ").append(campaign.ip).append(':').append(campaign.port)
                .append(" : PJSIP syntax error exception when parsing 'Via' header on line 2 col 1:");
        lines.security(line);
        for (String part : packet.split("\n", -1)) {
            lines.raw(part);
        }
        lines.raw("-- end of packet.");
    }

    private String securityAddress(Campaign campaign, String transport) {
        return (campaign.ipv6 ? "IPV6/" : "IPV4/") + transport + "/" + campaign.ip + "/" + campaign.port;
    }
}
