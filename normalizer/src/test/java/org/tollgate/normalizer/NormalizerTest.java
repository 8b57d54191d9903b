package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollgate.normalizer.message.EventAction;

class NormalizerTest {

    private static final String REGISTRATION = "[2026-01-18 17:39:50] NOTICE[2744] chan_sip.c: "
            + "Registration from '<sip:1001@203.0.113.5>' failed for '192.0.2.10:5060' - Wrong password";

    private static AsteriskEvent event(ParseResult result) {
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) result).event();
    }

    @Test
    void thePatchedSuffixIsTrustedOnlyWhereThePatchRuns() {
        String line = "[2026-01-18 17:39:51] NOTICE[2744] chan_sip.c: Failed to authenticate device "
                + "<sip:1001@203.0.113.5>;tag=as01 for INVITE, code = -1 (192.0.2.10:5062)";
        AsteriskEvent unpatched = event(new Normalizer(Corpus.OPTIONS).normalize(line));
        AsteriskEvent patched = event(new Normalizer(Corpus.OPTIONS.withTrustPatchedLines(true)).normalize(line));
        for (AsteriskEvent event : List.of(unpatched, patched)) {
            assertThat(event.finding().action()).isEqualTo(EventAction.AUTH_FAILED);
            assertThat(event.finding().source().ip()).isEqualTo("192.0.2.10");
            assertThat(event.finding().source().port()).isEqualTo(5062);
            assertThat(event.finding().patched()).isTrue();
            assertThat(event.finding().sipMethod()).isEqualTo("INVITE");
            assertThat(event.finding().reason()).isEqualTo("Wrong password");
        }
        assertThat(unpatched.finding().sourceTrusted()).isFalse();
        assertThat(patched.finding().sourceTrusted()).isTrue();
    }

    @Test
    void theFastPathKeepsTheYearContextOnNoiseLines() {
        String[] lines = {
            "[2024-06-01 10:00:00] VERBOSE[2210] pbx.c: Executing [100@from-internal:1] Dial(\"PJSIP/1001-00000002\", \"PJSIP/1002,30\") in new stack",
            "[Jun  2 10:00:00] NOTICE[2744] chan_sip.c: Registration from '<sip:1001@203.0.113.5>' failed for '192.0.2.10:5060' - Wrong password",
        };
        Normalizer fast = new Normalizer(Corpus.OPTIONS);
        assertThat(fast.normalizeSecurity(lines[0])).isNull();
        AsteriskEvent event = fast.normalizeSecurity(lines[1]);
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2024-06-02T10:00:00Z"));
        Normalizer full = new Normalizer(Corpus.OPTIONS);
        full.normalize(lines[0]);
        assertThat(event(full.normalize(lines[1])).timestamp()).isEqualTo(event.timestamp());
        assertThat(event.sequence()).isEqualTo(2);
    }

    @Test
    void linesWithoutAStampTakeThePreviousTimeOrTheClock() {
        Normalizer normalizer = new Normalizer(Corpus.OPTIONS);
        String messageOnly = "NOTICE[2351]: chan_sip.c:17045 in handle_request_register: "
                + "Registration from '<sip:1001@203.0.113.5>' failed for '192.0.2.10:5060' - Wrong password";
        assertThat(event(normalizer.normalize(messageOnly)).timestamp()).isEqualTo(Corpus.NOW);
        normalizer.normalize(REGISTRATION);
        assertThat(event(normalizer.normalize(messageOnly)).timestamp()).isEqualTo(Instant.parse("2026-01-18T17:39:50Z"));
        ParseResult rejected = normalizer.normalize("garbage");
        assertThat(rejected).isInstanceOf(ParseResult.Rejected.class);
        assertThat(((ParseResult.Rejected) rejected).timestamp()).isEqualTo(Instant.parse("2026-01-18T17:39:50Z"));
    }

    @Test
    void aRejectedLineKeepsAtMostItsFirstCharacters() {
        String huge = "x".repeat(100_000);
        ParseResult.Rejected rejected = (ParseResult.Rejected) new Normalizer(Corpus.OPTIONS.withPath("/var/log/asterisk/full")).normalize(huge);
        assertThat(rejected.reason()).isEqualTo(ParseResult.RejectReason.UNRECOGNIZED);
        assertThat(rejected.raw()).hasSize(Normalizer.MAX_REJECTED_KEPT);
        assertThat(rejected.path()).isEqualTo("/var/log/asterisk/full");
        assertThat(rejected.sequence()).isEqualTo(1);
    }

    /** Milliseconds when the scan is linear; the limit is reached only by one that is not (many minutes). */
    @Test
    void aMegabyteLineIsReadInLinearTime() {
        String line = REGISTRATION.replace("<sip:1001@", "<sip:" + "9".repeat(1 << 20) + "@");
        AsteriskEvent event = assertTimeoutPreemptively(Duration.ofMinutes(1),
                () -> {
                    java.util.List<ParseResult> results = new java.util.ArrayList<>();
                    new Normalizer(Corpus.OPTIONS).normalize(line, true, results::add);
                    return event(results.get(0));
                });
        assertThat(event.finding().source().ip()).isEqualTo("192.0.2.10");
        assertThat(event.truncated()).isTrue();
    }

    @Test
    void aRunOfNulBytesIsBinaryAndBlanksAreEmpty() {
        Normalizer normalizer = new Normalizer(Corpus.OPTIONS);
        assertThat(((ParseResult.Rejected) normalizer.normalize("\u0000".repeat(64))).reason()).isEqualTo(ParseResult.RejectReason.BINARY);
        assertThat(((ParseResult.Rejected) normalizer.normalize(" \t \r")).reason()).isEqualTo(ParseResult.RejectReason.EMPTY);
        assertThat(((ParseResult.Rejected) normalizer.normalize("\uFFFD\uFFFD\uFFFD\uFFFDab")).reason()).isEqualTo(ParseResult.RejectReason.BINARY);
    }

    @Test
    void aSecurityMessagePaddedWithUndecodableBytesIsStillRead() {
        String padded = REGISTRATION.replace("<sip:1001@", "<sip:" + "\uFFFD".repeat(300) + "@");
        assertThat(event(new Normalizer(Corpus.OPTIONS).normalize(padded)).finding().source().ip()).isEqualTo("192.0.2.10");
        assertThat(new Normalizer(Corpus.OPTIONS).normalizeSecurity(padded)).isNotNull();
    }

    @Test
    void theFastPathSkipsPacketDumpsToo() {
        String packet = "OPTIONS sip:100@203.0.113.5 SIP/2.0\r\nX: " + REGISTRATION.replace("192.0.2.10", "198.51.100.66") + "\r\n\r\n";
        String log = "[2026-01-18 17:39:52] ERROR[2288] pjproject: \t       sip_transport.c Error processing "
                + packet.getBytes(StandardCharsets.UTF_8).length + " bytes packet from UDP 192.0.2.92:5060 : "
                + "PJSIP syntax error exception when parsing 'X' header on line 2 col 1:\n"
                + packet + "\n-- end of packet.\n" + REGISTRATION + "\n";
        Normalizer fast = new Normalizer(Corpus.OPTIONS);
        List<String> sources = new ArrayList<>();
        Corpus.split(log.getBytes(StandardCharsets.UTF_8), 7, (line, truncated) -> {
            AsteriskEvent event = fast.normalizeSecurity(line);
            if (event != null) {
                sources.add(event.finding().source().ip());
            }
        });
        assertThat(sources).containsExactly("192.0.2.92", "192.0.2.10");
    }

    @Test
    void packetSizesAreCountedInUtf8Bytes() {
        assertThat(PacketDumpWatch.utf8Length("abc", 0, 3)).isEqualTo(3);
        assertThat(PacketDumpWatch.utf8Length("J\u00fcrgen", 0, 6)).isEqualTo(7);
        assertThat(PacketDumpWatch.utf8Length("\u2603", 0, 1)).isEqualTo(3);
        assertThat(PacketDumpWatch.utf8Length("\uD83D\uDE00", 0, 2)).isEqualTo(4);
        assertThat(PacketDumpWatch.utf8Length("\uFFFD", 0, 1)).as("an undecodable byte counts as one").isEqualTo(1);
        assertThat(PacketDumpWatch.utf8Length("x\u00fcx", 1, 2)).isEqualTo(2);
        String sample = "From: \"J\u00fcrgen \u2603 \uD83D\uDE00\" <sip:1@203.0.113.5>";
        assertThat(PacketDumpWatch.utf8Length(sample, 0, sample.length())).isEqualTo(sample.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void optionsCarryTheirValues() {
        NormalizerOptions options = NormalizerOptions.defaults().withZone(java.time.ZoneOffset.UTC)
                .withReference(Corpus.REFERENCE).withPath("p").withClock(Corpus.OPTIONS.clock()).withTrustPatchedLines(true);
        assertThat(options).isEqualTo(new NormalizerOptions(java.time.ZoneOffset.UTC, Corpus.REFERENCE, true, "p", Corpus.OPTIONS.clock()));
        assertThat(new Normalizer(options).options()).isSameAs(options);
    }
}
