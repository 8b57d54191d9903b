package org.tollgate.server.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.normalizer.json.Observer;
import org.tollgate.server.LogFields;

/**
 * A dry run at start-up of the path a line takes before a jail sees it (the line splitter, the normalizer, ECS JSON,
 * the failure a jail counts), on a throwaway splitter, normalizer and writer with lines of each family, so that the first attack after start is
 * read by compiled code, not interpreted; in the first {@link #DECODED_ROUNDS} rounds the JSON is read back as the
 * API reads the security events (Vert.x's JSON codec and Jackson's databind, whose start costs tens of milliseconds).
 * Nothing is published, counted or written anywhere.
 */
public final class LinePathWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(LinePathWarmUp.class);

    /** How many times the lines go through: enough for the JIT's first tiers, a few tens of milliseconds. */
    static final int ROUNDS = 400;
    /** Rounds whose JSON is decoded again. */
    static final int DECODED_ROUNDS = 20;

    /** Lines of each family the service reads; addresses from the documentation ranges. */
    static final List<String> LINES = List.of(
            "[2026-01-18 17:39:50.123] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from "
                    + "'<sip:100@203.0.113.5>' failed for '192.0.2.1:5060' (callid: warm-up-1) - Failed to authenticate",
            "[2026-01-18 17:39:50.124] NOTICE[2290] chan_sip.c: Registration from '<sip:100@203.0.113.5>' failed for "
                    + "'192.0.2.1:5060' - Wrong password",
            "[2026-01-18 17:39:50.125] NOTICE[2290][C-00000001] chan_sip.c: Call from '' (192.0.2.1:5060) to extension "
                    + "'900441234567' rejected because extension not found in context 'public'.",
            "[2026-01-18 17:39:50.126] NOTICE[2290] manager.c: 192.0.2.1 tried to authenticate with nonexistent user "
                    + "'admin'",
            "[2026-01-18 17:39:50.127] NOTICE[2290] manager.c: 192.0.2.1 failed to authenticate as 'admin'",
            "[2026-01-18 17:39:50.128] WARNING[2290] chan_iax2.c: Host 192.0.2.1:4569 failed to authenticate as 100",
            "[2026-01-18 17:39:50.129] SECURITY[2290] res_security_log.c: SecurityEvent=\"InvalidPassword\",EventTV="
                    + "\"2026-01-18T17:39:50.129+0000\",Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"2\",AccountID="
                    + "\"100\",SessionID=\"warm-up-1\",LocalAddress=\"IPV4/UDP/203.0.113.5/5060\",RemoteAddress="
                    + "\"IPV4/UDP/192.0.2.1/5060\",Challenge=\"1\",ReceivedChallenge=\"1\",ReceivedHash=\"1\"",
            "[2026-01-18 17:39:50.130] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'INVITE' from "
                    + "'<sip:100@203.0.113.5>' failed for '[2001:db8::1]:5060' (callid: warm-up-2) - No matching endpoint found",
            "Jan 18 17:39:51 pbx1 asterisk[2281]: NOTICE[2290]: chan_sip.c:28912 in handle_request_register: "
                    + "Registration from '<sip:100@203.0.113.5>' failed for '192.0.2.1:5060' - Wrong password",
            "[2026-01-18 17:39:50.131] VERBOSE[2300][C-00000001] pbx.c: Executing [100@default:1] Dial(\"PJSIP/100-1\", "
                    + "\"PJSIP/101,30\") in new stack",
            "[2026-01-18 17:39:50.132] VERBOSE[2300][C-00000001] pbx.c:     -- Executing [100@default:2] Hangup("
                    + "\"PJSIP/100-1\", \"\") in new stack",
            "[2026-01-18 17:39:50.133] DEBUG[2288] pjproject: \t sip_endpoint.c Processing incoming message: Request msg "
                    + "REGISTER/cseq=1 (rdata0x1)",
            "[2026-01-18 17:39:50.134] VERBOSE[1876] asterisk.c: Remote UNIX connection",
            "not an Asterisk line at all");

    private LinePathWarmUp() {
    }

    /** Runs the lines through {@link #ROUNDS} times with {@code observer}'s writer, as the service's publisher does. */
    public static void run(Observer observer) {
        long started = System.nanoTime();
        Clock clock = Clock.systemUTC();
        EcsJsonWriter writer = new EcsJsonWriter(observer, clock);
        ByteArrayOutputStream json = new ByteArrayOutputStream(4096);
        long failures = 0;
        byte[] bytes = (String.join("\n", LINES) + "\n").getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < ROUNDS; round++) {
            Normalizer normalizer = new Normalizer(new NormalizerOptions(ZoneOffset.UTC, clock.instant(), false, null,
                    clock));
            // The lines as a file source reads them, as bytes through a splitter, a plain line from its bytes
            // (Normalizer#normalizePlain): the splitter's word-at-a-time scans start their byte-array views there
            // (cold, the first line read after start paid some 7 ms for them), and the plain lines' prefix reader
            // is the one a source's lines take.
            List<ParseResult> results = new ArrayList<>(LINES.size());
            LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES,
                    (line, truncated) -> normalizer.normalize(line, truncated, results::add),
                    (line, from, to, plain) -> normalizer.normalizePlain(line, from, to, plain, results::add));
            splitter.feed(bytes, 0, bytes.length);
            splitter.finish();
            normalizer.flush(results::add);
            for (ParseResult result : results) {
                json.reset();
                try {
                    writer.writeLine(result, json);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (result instanceof ParseResult.Parsed parsed && FailureFromEvent.of(parsed.event()) != null) {
                    failures++;
                    if (round < DECODED_ROUNDS) {
                        new JsonObject(Buffer.buffer(json.toByteArray())).encode();
                    }
                }
            }
            for (String line : LINES) {
                normalizer.normalizeSecurity(line);
            }
        }
        LOG.atDebug().addKeyValue(LogFields.FAILURES, failures)
                .addKeyValue(LogFields.DURATION_MS, (System.nanoTime() - started) / 1_000_000).log("warm-up: line path run dry");
    }
}
