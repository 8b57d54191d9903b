package org.tollgate.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.testkit.Fuzzing;

/**
 * The normalizer fuzzed from the corpus ({@code src/test/resources/corpus}) with jqwik's generators under a budget
 * ({@link Fuzzing}), each a jqwik {@code @Example} (its generators run only inside jqwik): the same inputs of a fixed
 * seed in every build, a few seconds each; {@code -Dfuzz.seed=random -Dfuzz.seconds=600} searches further. jqwik rather than
 * Jazzer: the project has it already, it runs in the JVM as a plain test (no agent, no native library), and the
 * inputs that matter are structured (the corpus lines, the fields an attacker writes, the phrases around addresses),
 * which its generators compose directly; coverage guidance matters less for a parser of fixed anchors.
 */
class NormalizerFuzzTest {

    /** The same inputs in every build: a few seconds. */
    private static final Fuzzing.Budget BUDGET = Fuzzing.budget(2_000);
    /** One line a try: far cheaper than a batch. */
    private static final Fuzzing.Budget TRUSTED_BUDGET = Fuzzing.budget(20_000);
    private static final List<String> CORPUS = Fuzzing.lines(Corpus.directory());
    /**
     * Fields of an event whose text the sender may have written: a user or account, an extension, a SIP Call-ID
     * (asterisk.session_id; asterisk.call_id is Asterisk's own C-nnnnnnnn).
     */
    private static final List<String> SENDER_FIELDS = List.of("/user/name", "/asterisk/extension",
            "/asterisk/session_id");

    private final EcsJsonWriter writer = new EcsJsonWriter();

    /**
     * No mutated line makes either path of the normalizer or the JSON writer throw; every event is JSON. The lines come
     * a few at a time, each few through one normalizer, so what one line leaves behind meets the next.
     */
    @Example
    void noMutatedLineThrows() {
        Arbitrary<List<Line>> batches = Combinators.combine(Fuzzing.mutated(CORPUS), Arbitraries.of(true, false))
                .as(Line::new).list().ofMinSize(1).ofMaxSize(10);
        long count = Fuzzing.run("normalizer lines", batches, BUDGET, this::read);
        assertThat(count).isPositive();
    }

    /** No mutated byte stream makes the splitter, the normalizer or the writer throw, with any chunk and bound. */
    @Example
    void noMutatedByteStreamThrows() {
        Arbitrary<byte[]> streams = Combinators.combine(Fuzzing.mutated(CORPUS).list().ofMinSize(1).ofMaxSize(20),
                Arbitraries.bytes().list().ofMaxSize(8), Arbitraries.integers().between(0, 10_000)).as((lines, junk, at) -> {
                    byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
                    int position = Math.min(at, text.length);
                    byte[] out = new byte[text.length + junk.size()];
                    System.arraycopy(text, 0, out, 0, position);
                    for (int i = 0; i < junk.size(); i++) {
                        out[position + i] = junk.get(i);
                    }
                    System.arraycopy(text, position, out, position + junk.size(), text.length - position);
                    return out;
                });
        Arbitrary<Bytes> inputs = Combinators.combine(streams, Arbitraries.integers().between(1, 5_000),
                Arbitraries.of(16, 100, 300, LineSplitter.DEFAULT_MAX_LINE_BYTES)).as(Bytes::new);
        long count = Fuzzing.run("normalizer bytes", inputs, BUDGET, stream -> {
            Normalizer normalizer = new Normalizer(Corpus.OPTIONS);
            LineSplitter splitter = new LineSplitter(stream.maxLineBytes(), (line, truncated) ->
                    normalizer.normalize(line, truncated, this::writeAndParse));
            for (int at = 0; at < stream.bytes().length; at += stream.chunk()) {
                splitter.feed(stream.bytes(), at, Math.min(stream.chunk(), stream.bytes().length - at));
                assertThat(splitter.heldBytes()).isLessThanOrEqualTo(stream.maxLineBytes());
            }
            splitter.finish();
        });
        assertThat(count).isPositive();
    }

    /**
     * A corpus line with a trusted source, the text of one of the fields its sender wrote changed to anything (inside a
     * SIP URI, escaped as a URI is): when it still gives a trusted source, that is the same transport address, never one
     * the sender wrote.
     */
    @Example
    void aTrustedSourceIsTheTransportAddressWhateverTheSenderWrote() {
        List<Sample> samples = new ArrayList<>();
        for (String line : CORPUS) {
            samples.addAll(samples(line));
        }
        assertThat(samples).as("corpus lines with a trusted source and a field the sender wrote").hasSizeGreaterThan(50);
        Arbitrary<Attempt> attempts = Combinators.combine(Arbitraries.of(samples), Fuzzing.hostileText(),
                Arbitraries.doubles().between(0, 1), Arbitraries.of(true, false)).as(Attempt::new);
        long count = Fuzzing.run("trusted sources", attempts, TRUSTED_BUDGET, attempt -> {
            String line = attempt.line();
            ObjectNode event = Corpus.parse(writer.toJson(new Normalizer(Corpus.OPTIONS).normalize(line)));
            if (event.at("/asterisk/source_trusted").asBoolean(false)) {
                assertThat(event.at("/source/ip").asText()).as("the trusted source of %s", line)
                        .isEqualTo(attempt.sample().transport());
            }
            AsteriskEvent fast = new Normalizer(Corpus.OPTIONS).normalizeSecurity(line);
            if (fast != null && fast.finding().sourceTrusted()) {
                assertThat(fast.finding().source().ip()).as("the trusted source (fast path) of %s", line)
                        .isEqualTo(attempt.sample().transport());
            }
        });
        assertThat(count).isPositive();
    }

    /** Lines the fuzzing found a fault with, read as every other input is. */
    @Example
    void linesTheFuzzingFoundAreRead() {
        // Each of these threw out of normalize(), which a source's thread does not survive.
        // ChanSipMessages.registration took the To header's opening quote for the start of "' failed for '" and cut
        // a substring that ended before it began: StringIndexOutOfBoundsException out of normalize().
        read(List.of(new Line("[2026-01-18 17:40:01] NOTICE[2744] chan_sip.c: Registration from ' failed for "
                + "'198.51.100.66:5060' - Wrong password'<sip", false)));
        // ManagerMessages.session took the quote right before " from " for the user's closing quote, with no verb.
        read(List.of(new Line("[2026-01-18 17:39:59] VERBOSE[3110] manager.c: Manager 'admin' kicked' from "
                + "192.0.2.56", false)));
        // StampResolver made a ZoneOffset of -18:54 (a time followed by "-18:54"): DateTimeException.
        read(List.of(new Line("[2026-01-18 17:39:56.1-18:54] NOTICE[2601] acl.c: SIP Contact ACL: Rejecting "
                + "'198.51.100.108' due to a failure to pass ACL 'contact-acl'", false)));
    }

    /** A line, read alone, and whether the reader cut it. */
    private record Line(String text, boolean truncated) {
    }

    /** Bytes fed in chunks of {@code chunk} to a splitter that keeps {@code maxLineBytes}. */
    private record Bytes(byte[] bytes, int chunk, int maxLineBytes) {
        @Override
        public String toString() {
            return "chunks of " + chunk + ", lines of " + maxLineBytes + " bytes at most: "
                    + new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Where a sender's field lies in a corpus line with a trusted source, and that source. */
    private record Sample(String line, int from, int to, boolean inUri, String transport) {
    }

    /** {@code text} put into the sample's field: in place of it, or inserted at {@code where} within it. */
    private record Attempt(Sample sample, String text, double where, boolean replace) {
        String line() {
            Sample s = sample;
            String put = s.inUri() ? Fuzzing.escapedAsUriUser(text) : text;
            int at = replace ? s.from() : s.from() + (int) (where * (s.to() - s.from()));
            int end = replace ? s.to() : at;
            return s.line().substring(0, at) + put + s.line().substring(end);
        }

        @Override
        public String toString() {
            return line();
        }
    }

    /** The fields the sender wrote in {@code line}, when it gives a trusted source read alone. */
    private List<Sample> samples(String line) {
        ObjectNode event = Corpus.parse(writer.toJson(new Normalizer(Corpus.OPTIONS).normalize(line)));
        if (!event.at("/asterisk/source_trusted").asBoolean(false)) {
            return List.of();
        }
        String transport = event.at("/source/ip").asText();
        List<Sample> samples = new ArrayList<>();
        for (String field : SENDER_FIELDS) {
            if (!writtenBySender(field, line)) {
                continue;
            }
            String value = event.at(field).asText("");
            int from = line.indexOf(value);
            // Only a field found once, away from every mention of the transport address.
            if (value.length() < 2 || from < 0 || line.indexOf(value, from + 1) >= 0 || overlapsAddress(line, from,
                    from + value.length(), transport)) {
                continue;
            }
            int uri = Math.max(line.lastIndexOf("sip:", from), line.lastIndexOf("sips:", from));
            boolean inUri = uri >= 0 && line.substring(uri, from).chars().noneMatch(c -> c == ' ' || c == '\'' || c == '>');
            samples.add(new Sample(line, from, from + value.length(), inUri, transport));
        }
        return samples;
    }

    /**
     * Whether the sender wrote {@code field} in this message. Not the names Asterisk takes from its own configuration:
     * the peer or endpoint a call came in on ({@code Call from '...'}, {@code <endpoint>: Call (...)}, chan_sip's
     * {@code S_OR(p->username, p->peername)}, empty for a guest), the endpoint of res_pjsip_registrar's messages, a
     * manager account that logged on; nor a security event's SessionID, a pointer Asterisk prints.
     */
    private static boolean writtenBySender(String field, String line) {
        if (field.equals("/user/name")) {
            return !(line.contains("rejected because extension not found") || line.contains("Endpoint '")
                    || line.contains("for endpoint '") || line.contains("Manager '"));
        }
        return !(field.equals("/asterisk/session_id") && line.contains("SecurityEvent="));
    }

    private static boolean overlapsAddress(String line, int from, int to, String address) {
        for (int at = line.indexOf(address); at >= 0; at = line.indexOf(address, at + 1)) {
            if (at < to && at + address.length() > from) {
                return true;
            }
        }
        return false;
    }

    private void read(List<Line> lines) {
        Normalizer normalizer = new Normalizer(Corpus.OPTIONS);
        Normalizer fast = new Normalizer(Corpus.OPTIONS);
        for (Line line : lines) {
            normalizer.normalize(line.text(), line.truncated(), this::writeAndParse);
            AsteriskEvent event = fast.normalizeSecurity(line.text());
            if (event != null) {
                assertThat(event.finding()).isNotNull();
                writeAndParse(new ParseResult.Parsed(event));
            }
        }
    }

    private void writeAndParse(ParseResult result) {
        Corpus.parse(writer.toJson(result));
    }
}
