package org.tollgate.normalizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tollgate.normalizer.message.SecurityNeedles;

/**
 * One read of an input through the fast path ({@link Normalizer#normalizeSecurity(String, boolean, java.util.function.Consumer)}),
 * with or without the byte-level noise filter ({@link Normalizer#skipNoise}), and everything a caller sees of it: the
 * events as ECS JSON, the skipped line counts and the lines read. Equal runs with and without the filter show the
 * filter changes nothing.
 *
 * @param filtered how many lines the filter skipped (0 without it)
 */
record FastPathRun(List<ObjectNode> events, Map<ParseResult.RejectReason, Long> rejected, long packetDumpLines,
                   long linesRead, long filtered) {

    /** Reads {@code input} in chunks of {@code chunkSize}; {@code needles} null reads without the filter. */
    static FastPathRun read(byte[] input, int chunkSize, NormalizerOptions options, SecurityNeedles needles) {
        return read(input, chunkSize, options, needles, false);
    }

    /**
     * As {@link #read(byte[], int, NormalizerOptions, SecurityNeedles)}; with {@code plainFromBytes}, each plain line
     * goes through {@link Normalizer#normalizeSecurityPlain} (the filter, then the line read from its bytes, not
     * cleaned), as {@code tollgate check --json} reads it; {@code filtered} then counts the plain lines.
     */
    static FastPathRun read(byte[] input, int chunkSize, NormalizerOptions options, SecurityNeedles needles,
                            boolean plainFromBytes) {
        Normalizer normalizer = needles == null ? new Normalizer(options) : new Normalizer(options, needles);
        List<ParseResult> events = new ArrayList<>();
        long[] filtered = {0};
        Corpus.split(input, chunkSize,
                (line, truncated) -> normalizer.normalizeSecurity(line, truncated, e -> events.add(new ParseResult.Parsed(e))),
                needles == null ? null : (bytes, from, to, plain) -> {
                    boolean skipped = plainFromBytes
                            ? normalizer.normalizeSecurityPlain(bytes, from, to, plain,
                                    e -> events.add(new ParseResult.Parsed(e)))
                            : normalizer.skipNoise(bytes, from, to, plain);
                    filtered[0] += skipped ? 1 : 0;
                    return skipped;
                });
        normalizer.flushSecurity(e -> events.add(new ParseResult.Parsed(e)));
        return new FastPathRun(Corpus.toJson(events), normalizer.skipped().rejected(),
                normalizer.skipped().packetDumpLines(), normalizer.linesRead(), filtered[0]);
    }

    /** This run without its filter count: what must not depend on the filter. */
    FastPathRun seen() {
        return new FastPathRun(events, rejected, packetDumpLines, linesRead, 0);
    }
}
