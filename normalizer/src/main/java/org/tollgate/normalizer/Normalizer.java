package org.tollgate.normalizer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.tollgate.normalizer.call.CallEvent;
import org.tollgate.normalizer.call.CdrRecord;
import org.tollgate.normalizer.call.CelRecord;
import org.tollgate.normalizer.correlate.Attempts;
import org.tollgate.normalizer.correlate.Calls;
import org.tollgate.normalizer.correlate.EndpointAddresses;
import org.tollgate.normalizer.correlate.ScanSignals;
import org.tollgate.normalizer.correlate.SessionAddresses;
import org.tollgate.normalizer.message.DialplanMessages;
import org.tollgate.normalizer.message.EventAction;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.normalizer.message.KernelMessages;
import org.tollgate.normalizer.message.MessageClassifier;
import org.tollgate.normalizer.message.SecurityNeedles;
import org.tollgate.normalizer.prefix.FileLineShape;
import org.tollgate.normalizer.prefix.Layout;
import org.tollgate.normalizer.prefix.LogPrefix;
import org.tollgate.normalizer.prefix.PrefixParser;
import org.tollgate.normalizer.prefix.PrefixScan;
import org.tollgate.normalizer.prefix.SyslogLineShape;
import org.tollgate.normalizer.text.ByteWords;
import org.tollgate.normalizer.text.RecentStrings;
import org.tollgate.normalizer.time.StampResolver;

/**
 * Reads the lines of one input, in order, into events: line -> prefix -> message -> {@link AsteriskEvent}.
 *
 * <p>One instance per input, used by one thread: it keeps the line count, the year context of year-less stamps, and
 * whether the lines now coming are a packet that pjproject dumped after "Error processing … :" (attacker data that
 * may look like any Asterisk line; it is never read for addresses), and the calls whose dialplan lines it reads
 * ({@link Calls}). A line of cdr_csv's or cel_custom's {@code Master.csv} is read as the call record it is, so a CDR
 * file is one more input. Never throws on any input.
 */
public final class Normalizer {

    /** How much of a rejected line is kept. */
    public static final int MAX_REJECTED_KEPT = 4096;

    private static final String REDACTED = "[redacted]";

    private final NormalizerOptions options;
    private final PrefixParser prefixParser = new PrefixParser();
    private final PrefixScan scan = new PrefixScan();
    private final MessageClassifier classifier;
    private final StampResolver stamps;
    private final NoiseFilter noise;
    private final SessionAddresses sessions = new SessionAddresses();
    private final Attempts attempts = new Attempts();
    private final ScanSignals scans = new ScanSignals();
    private final Calls calls;
    /** The channels of the dialplan lines last read, handed out again (see {@link #dialplanCall}). */
    private final RecentStrings channelNames = new RecentStrings();
    /** A scanner signal the last line completed, handed on right after that line's result. */
    private AsteriskEvent signal;

    private final int[] binaryCount = new int[1];
    private final byte[] cleanerScratch = new byte[LineCleaner.SCRATCH_BYTES];
    private final SkippedLines skipped = new SkippedLines();
    private long sequence;
    private Instant lastTimestamp;

    /** The bytes of the plain line being read, from {@link #plainFrom}, while one is (the prefix is read from them). */
    private byte[] plainBytes;
    private int plainFrom;

    /** Whether the lines now coming are a packet dump, and the lines held while that is not yet known. */
    private final PacketDumpWatch dumps = new PacketDumpWatch();

    public Normalizer(NormalizerOptions options) {
        this(options, SecurityNeedles.ALL);
    }

    /** With the needles {@link #skipNoise} looks for: all of them but in the tests that break the filter on purpose. */
    Normalizer(NormalizerOptions options, SecurityNeedles needles) {
        this.options = options;
        this.classifier = new MessageClassifier(options.trustPatchedLines());
        this.stamps = new StampResolver(options.zone(), options.reference());
        this.noise = new NoiseFilter(needles, stamps);
        this.calls = new Calls(options.numbering(),
                options.endpoints() != null ? options.endpoints() : new EndpointAddresses());
    }

    public NormalizerOptions options() {
        return options;
    }

    /**
     * Reads one line on its own and returns its result: what {@link #normalize(String, boolean, Consumer)} does, with
     * anything it holds back released at once (see {@link #flush}). For single lines; an input is read with the
     * consumer form.
     */
    public ParseResult normalize(String rawLine) {
        List<ParseResult> results = new ArrayList<>(1);
        normalize(rawLine, false, results::add);
        flush(results::add);
        for (ParseResult result : results) {
            if (result.sequence() == sequence && !(result instanceof ParseResult.Parsed p && p.event().isScanSignal())) {
                return result;
            }
        }
        return results.get(results.size() - 1);
    }

    /**
     * Reads the next line of the input and hands its result to {@code out}; usually at once, but a line that follows
     * an early end of a pjproject packet dump is held until the dump's declared end shows whether it is packet text
     * (see {@link PacketDump}), then handed on with the others held, in input order.
     *
     * @param rawLine   the line as read, line end included or not
     * @param truncated true when the reader cut the line at its length limit
     */
    public void normalize(String rawLine, boolean truncated, Consumer<? super ParseResult> out) {
        normalize(rawLine, truncated, false, out);
    }

    /**
     * As {@link #normalize(String, boolean, Consumer)} for a whole line (not cut at the length limit) read from
     * {@code bytes[from, to)}, without its line feed, when {@code plain}: every byte printable ASCII or a TAB, and no
     * {@code #} followed by a {@code 0} (which may start rsyslog's {@code #011} or {@code #033[}), as the
     * {@link org.tollgate.normalizer.input.LineSplitter} finds while it finds the line's end. Such a line is its own text
     * byte for byte (UTF-8 and Latin-1 read it alike) and {@link LineCleaner} leaves it as it is, so it is read without
     * decoding or cleaning; most lines of a log are plain. Returns false and does nothing when
     * the line is not plain: the caller decodes it and hands it to {@code normalize} as usual. Never throws.
     *
     * @param plain true only when each byte of the line is printable ASCII or a TAB, with no {@code #} followed by a
     *              {@code 0}
     */
    public boolean normalizePlain(byte[] bytes, int from, int to, boolean plain, Consumer<? super ParseResult> out) {
        if (!plain) {
            return false;
        }
        plainBytes = bytes;
        plainFrom = from;
        normalize(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1), false, true, out);
        plainBytes = null;
        return true;
    }

    /** {@code plain}: the line is known to hold only printable ASCII and TABs, no {@code #0} (nothing to clean). */
    private void normalize(String rawLine, boolean truncated, boolean plain, Consumer<? super ParseResult> out) {
        long lineNumber = ++sequence;
        if (!dumps.open()) {
            out.accept(readLine(rawLine, truncated, lineNumber, plain)); // the usual case, without a sink object
            if (signal != null) {
                out.accept(new ParseResult.Parsed(takeSignal()));
            }
        } else {
            dumps.read(rawLine, truncated, lineNumber, full(out));
        }
    }

    /**
     * Hands on the lines held back, as real lines: the input has gone quiet or ended, and a packet dump's rest would
     * have come with it. Sources call it when a read finds nothing new.
     */
    public void flush(Consumer<? super ParseResult> out) {
        dumps.release(full(out));
    }

    /** True while lines are held back (see {@link #normalize(String, boolean, Consumer)}). */
    public boolean holdsLines() {
        return dumps.holding();
    }

    /** One line on its own through the fast path: its security event, or null; anything held released at once. */
    public AsteriskEvent normalizeSecurity(String rawLine) {
        List<AsteriskEvent> events = new ArrayList<>(1);
        normalizeSecurity(rawLine, events::add);
        flushSecurity(events::add);
        for (AsteriskEvent event : events) {
            if (event.sequence() == sequence && !event.isScanSignal()) {
                return event;
            }
        }
        return null;
    }

    /** As {@link #normalizeSecurity(String, boolean, Consumer)} for a line the reader did not cut. */
    public void normalizeSecurity(String rawLine, Consumer<? super AsteriskEvent> out) {
        normalizeSecurity(rawLine, false, out);
    }

    /**
     * The next line through the fast path for banning: its security event goes to {@code out}, and nothing is built
     * for other lines; what they were is counted in {@link #skipped()}. Does what
     * {@link #normalize(String, boolean, Consumer)} does for the line count, the year context, packet dumps and held
     * lines.
     *
     * @param truncated true when the reader cut the line at its length limit
     */
    public void normalizeSecurity(String rawLine, boolean truncated, Consumer<? super AsteriskEvent> out) {
        normalizeSecurity(rawLine, truncated, false, out);
    }

    /**
     * What {@link #skipNoise(byte[], int, int, boolean)} and then {@code normalizeSecurity} do for a whole line
     * {@code bytes[from, to)} when {@code plain} (as {@link #normalizePlain} says it): a line that is no noise is read
     * through the fast path without decoding or cleaning, as {@code normalizePlain} reads it through the full path.
     * A line that is plain but for the carriage returns it ends with (a SIP packet copied into the log, a line in
     * thirty of the bench log) is, while no packet dump is open, the plain line before them: cleaning takes them off,
     * and only a dump's count reads them. Returns false and does nothing for another line that is not plain: the
     * caller decodes it and hands it on as usual.
     */
    public boolean normalizeSecurityPlain(byte[] bytes, int from, int to, boolean plain,
                                          Consumer<? super AsteriskEvent> out) {
        int end = plain ? to : plainBeforeCarriageReturns(bytes, from, to);
        if (end < 0) {
            return false;
        }
        if (!skipNoise(bytes, from, end, true)) {
            plainBytes = bytes;
            plainFrom = from;
            normalizeSecurity(new String(bytes, from, end - from, StandardCharsets.ISO_8859_1), false, true, out);
            plainBytes = null;
        }
        return true;
    }

    /**
     * Where the carriage returns that end {@code bytes[from, to)} start, when there are any, no packet dump is open
     * and every byte before them is plain; otherwise -1.
     */
    private int plainBeforeCarriageReturns(byte[] bytes, int from, int to) {
        int end = to;
        while (end > from && bytes[end - 1] == '\r') {
            end--;
        }
        return end < to && !dumps.open() && NoiseFilter.plain(bytes, from, end) ? end : -1;
    }

    /**
     * As {@link #normalizeSecurity(String, boolean, Consumer)}; {@code plain}: the line is known to hold only printable
     * ASCII and TABs, no {@code #0} (as {@link #normalizePlain} says it), so there is nothing to clean.
     */
    public void normalizeSecurity(String rawLine, boolean truncated, boolean plain, Consumer<? super AsteriskEvent> out) {
        long lineNumber = ++sequence;
        if (!dumps.open()) {
            AsteriskEvent event = readSecurity(rawLine, truncated, lineNumber, plain);
            if (event != null) {
                out.accept(event);
                if (signal != null) {
                    out.accept(takeSignal());
                }
            }
        } else {
            dumps.read(rawLine, truncated, lineNumber, fast(out));
        }
    }

    /**
     * Counts the next line of the input from its bytes without decoding or reading it, when the fast path
     * ({@link #normalizeSecurity(String, boolean, Consumer)}) would build nothing for it and change nothing but the
     * line count: then returns true and the line is read. Otherwise returns false, changes nothing, and the caller
     * hands the decoded line to {@code normalizeSecurity} as usual. For a source that needs security events only
     * ({@code tollgate check --json}); most of a busy PBX's log is such lines.
     *
     * <p>A line is skipped only when all of these hold, each of which makes a step of the fast path a no-op:
     * <ul>
     *   <li>no packet dump is open: a dump's lines are counted as such;</li>
     *   <li>every byte is printable ASCII, or a TAB, and no {@code #} is followed by a {@code 0} (which may start
     *       rsyslog's escapes {@code #033[}, {@code #011}; {@link ByteWords#plainHash}): {@link LineCleaner} leaves the
     *       line as it is, and it is not binary;</li>
     *   <li>the line has the {@link FileLineShape} or the {@link SyslogLineShape} (so it is neither blank nor bare:
     *       nothing to count as rejected, and the stamp is where the shape says); when its date part is the one the
     *       year context last followed, {@link #trackStamp} would return at once, and otherwise the year context
     *       follows the stamp here as {@code trackStamp} does, from the same text;</li>
     *   <li>it holds none of the {@link SecurityNeedles}: the classifier finds nothing, so the session and attempt
     *       state is untouched, and no pjproject {@code Dropped packet:} line opens a dump.</li>
     * </ul>
     *
     * @param bytes one whole line, without its line feed, as read from the input
     */
    public boolean skipNoise(byte[] bytes, int from, int to) {
        return skipNoise(bytes, from, to, NoiseFilter.plain(bytes, from, to));
    }

    /**
     * As {@link #skipNoise(byte[], int, int)} for a caller that has already looked at every byte of the line (the
     * {@link org.tollgate.normalizer.input.LineSplitter} does, while it finds the line's end): {@code plain} says
     * whether each is printable ASCII or a TAB, with no {@code #} followed by a {@code 0}, and must be exactly that.
     */
    public boolean skipNoise(byte[] bytes, int from, int to, boolean plain) {
        if (!plain || dumps.open()) {
            return false;
        }
        int stampEnd = noiseStampEnd(bytes, from, to, true);
        return stampEnd >= 0 && countNoise(bytes, from, stampEnd);
    }

    /**
     * The part of {@link #skipNoise(byte[], int, int, boolean)} that needs no state of the input: where the line's stamp
     * ends when it is plain, has the {@link FileLineShape} and holds none of the {@link SecurityNeedles}, otherwise -1.
     * Reads only what never changes after construction, so another thread may call it (a reader that scans the lines
     * ahead of the thread that reads them); what such a line then needs is {@link #countNoise}, in input order.
     */
    public int noiseStampEnd(byte[] bytes, int from, int to, boolean plain) {
        return noise.stampEnd(bytes, from, to, plain);
    }

    /**
     * Counts the next line of the input, one {@link #noiseStampEnd} found (its stamp ends at {@code stampEnd}), as
     * {@link #skipNoise(byte[], int, int, boolean)} does, and returns true; or returns false and changes nothing when a
     * packet dump is open, and the caller hands the decoded line to {@code normalizeSecurity} as usual.
     */
    public boolean countNoise(byte[] bytes, int from, int stampEnd) {
        if (dumps.open()) {
            return false;
        }
        Instant followed = noise.follow(bytes, from, stampEnd);
        if (followed != null) {
            lastTimestamp = followed;
        }
        sequence++;
        return true;
    }

    /** The lines read so far, held ones included. */
    public long linesRead() {
        return sequence;
    }

    /** What the fast path read without building a result: the lines the full path rejects, packet dump lines. */
    public SkippedLines skipped() {
        return skipped;
    }

    /** {@link #flush} for the fast path. */
    public void flushSecurity(Consumer<? super AsteriskEvent> out) {
        dumps.release(fast(out));
    }

    private PacketDumpWatch.Sink full(Consumer<? super ParseResult> out) {
        return new PacketDumpWatch.Sink() {
            @Override
            public void line(String rawLine, boolean truncated, long lineNumber) {
                out.accept(readLine(rawLine, truncated, lineNumber, false));
                if (signal != null) {
                    out.accept(new ParseResult.Parsed(takeSignal()));
                }
            }

            @Override
            public void packetLine(PacketDump.Line line) {
                out.accept(packetDumpResult(line));
            }
        };
    }

    private PacketDumpWatch.Sink fast(Consumer<? super AsteriskEvent> out) {
        return new PacketDumpWatch.Sink() {
            @Override
            public void line(String rawLine, boolean truncated, long lineNumber) {
                AsteriskEvent event = readSecurity(rawLine, truncated, lineNumber, false);
                if (event != null) {
                    out.accept(event);
                    if (signal != null) {
                        out.accept(takeSignal());
                    }
                }
            }

            @Override
            public void packetLine(PacketDump.Line line) {
                skipped.packetDumpLine();
            }
        };
    }

    private ParseResult readLine(String rawLine, boolean truncated, long lineNumber, boolean plain) {
        String line = plain ? rawLine : LineCleaner.clean(rawLine, binaryCount, cleanerScratch);
        boolean binary = !plain && LineCleaner.isBinary(binaryCount[0], rawLine.length());
        if (line.isBlank()) {
            // Cleaning removes control bytes, so a run of NULs (a file zero-filled after a crash) is blank.
            return binary
                    ? new ParseResult.Rejected(lineNumber, currentTime(), ParseResult.RejectReason.BINARY, keep(rawLine), options.path())
                    : new ParseResult.Rejected(lineNumber, currentTime(), ParseResult.RejectReason.EMPTY, line, options.path());
        }
        scanPrefix(line, plain);
        int body = MessageClassifier.bodyStart(scan.text(), scan.messageStart());
        Finding finding = classify(body);
        // A security message is read however much undecodable text the sender padded its header with.
        if (finding == null && binary) {
            return new ParseResult.Rejected(lineNumber, currentTime(), ParseResult.RejectReason.BINARY, keep(rawLine), options.path());
        }
        if (finding == null && scan.layout() == Layout.BARE) {
            ParseResult record = callRecord(line, lineNumber, truncated);
            return record != null ? record
                    : new ParseResult.Rejected(lineNumber, currentTime(), ParseResult.RejectReason.UNRECOGNIZED, keep(line), options.path());
        }
        // A plain line's message is cut from it (a secret replaced by ASCII), unless a JSON layout's decoded it.
        boolean asciiText = plain && scan.text() == line;
        AsteriskEvent event = toEvent(line, lineNumber, finding, truncated);
        CallEvent call = finding == null ? dialplanCall(body, event.timestamp()) : null;
        return new ParseResult.Parsed(call == null ? event : withCall(event, call), asciiText);
    }

    private void scanPrefix(String line, boolean plain) {
        if (plain && plainBytes != null) {
            prefixParser.scan(line, plainBytes, plainFrom, scan);
        } else {
            prefixParser.scan(line, scan);
        }
    }

    /**
     * The call step a VERBOSE dialplan line makes, or null (most lines: a character test); {@code body}: where the
     * message proper starts ({@link MessageClassifier#bodyStart}).
     */
    private CallEvent dialplanCall(int body, Instant timestamp) {
        DialplanMessages.Line line = DialplanMessages.readBody(scan.text(), body, scan.level(), scan.lineBytes(),
                scan.lineOffset(), channelNames);
        return line == null ? null : calls.onLine(line, timestamp, scan.callId(), scan.threadId());
    }

    private static AsteriskEvent withCall(AsteriskEvent event, CallEvent call) {
        return new AsteriskEvent(event.sequence(), event.timestamp(), event.prefix(), event.message(), event.original(),
                null, event.path(), false, event.truncated(), null, call);
    }

    /**
     * A line of cdr_csv's or cel_custom's {@code Master.csv} (they start with a quote, which no log layout does): a CDR
     * is a call's end, a CEL record a step of it, or nothing when its channel is no endpoint's. Null for other lines.
     */
    private ParseResult callRecord(String line, long lineNumber, boolean truncated) {
        if (line.isEmpty() || line.charAt(0) != '"') {
            return null;
        }
        Instant at;
        CallEvent call;
        Layout layout;
        CdrRecord cdr = CdrRecord.parse(line, options.zone());
        if (cdr != null) {
            at = cdr.end();
            call = calls.onCdr(cdr);
            layout = Layout.CDR_CSV;
        } else {
            CelRecord cel = CelRecord.parse(line, options.zone());
            if (cel == null) {
                return null;
            }
            at = cel.time();
            call = calls.onCel(cel);
            layout = Layout.CEL_CSV;
        }
        lastTimestamp = at;
        LogPrefix prefix = new LogPrefix(layout, at, null, -1, null, null, -1, null, null, null, -1);
        return new ParseResult.Parsed(new AsteriskEvent(lineNumber, at, prefix, line, line, null, options.path(), false,
                truncated, null, call));
    }

    /** {@link #readLine}'s security events, without building a result for other lines: they are only counted. */
    private AsteriskEvent readSecurity(String rawLine, boolean truncated, long lineNumber, boolean plain) {
        String line = plain ? rawLine : LineCleaner.clean(rawLine, binaryCount, cleanerScratch);
        boolean binary = !plain && LineCleaner.isBinary(binaryCount[0], rawLine.length());
        if (line.isBlank()) {
            skipped.reject(binary ? ParseResult.RejectReason.BINARY : ParseResult.RejectReason.EMPTY);
            return null;
        }
        scanPrefix(line, plain);
        Finding finding = classify(MessageClassifier.bodyStart(scan.text(), scan.messageStart()));
        if (finding == null) {
            if (binary) {
                skipped.reject(ParseResult.RejectReason.BINARY);
            } else if (scan.layout() == Layout.BARE && !isCallRecord(line)) {
                skipped.reject(ParseResult.RejectReason.UNRECOGNIZED);
            }
            if (scan.hasStamp() && scan.layout() != Layout.BARE) {
                trackStamp();
            }
            if (scan.fileIs("pjproject") && mayMarkDroppedPacket()) {
                String text = scan.text();
                dumps.watchForDroppedDump(text.substring(Math.min(scan.messageStart(), text.length())));
            }
            return null;
        }
        return toEvent(line, lineNumber, finding, truncated);
    }

    /** A line {@link #callRecord} reads (rare: a quote starts it), for the fast path's count. */
    private boolean isCallRecord(String line) {
        return line.charAt(0) == '"'
                && (CdrRecord.parse(line, options.zone()) != null || CelRecord.parse(line, options.zone()) != null);
    }

    /**
     * The message's finding ({@code body}: where the message proper starts, {@link MessageClassifier#bodyStart}). A
     * line with no Asterisk layout at all is not trusted for its address whatever it says: such lines are what
     * {@code sip set debug on} and {@code pjsip set logger on} write when they copy a received packet into the log,
     * i.e. the sender's own text.
     */
    private Finding classify(int body) {
        if (scan.programIs("kernel")) {
            // The kernel log: only the shield's drop lines are events; nothing there is an Asterisk message.
            return KernelMessages.parse(scan.text(), scan.messageStart());
        }
        boolean pjproject = scan.fileIs("pjproject") || scan.fileIs("pjsip");
        Finding finding = classifier.classify(scan.text(), scan.messageStart(), body, scan.level(),
                scan.fileStartsWith("Ext. "), pjproject);
        if (finding == null) {
            return null;
        }
        if (scan.layout() == Layout.BARE) {
            return finding.sourceTrusted() ? finding.untrusted() : finding;
        }
        finding = sessions.settle(finding);
        sessions.learn(finding);
        return finding;
    }

    private AsteriskEvent toEvent(String line, long lineNumber, Finding finding, boolean truncated) {
        Instant timestamp = resolveTimestamp();
        if (finding != null && finding.action() == EventAction.SECURITY_SUCCESSFUL_AUTH) {
            calls.learn(finding, timestamp);
        }
        LogPrefix prefix = scan.toPrefix(timestamp);
        String text = scan.text();
        String message = scan.messageStart() == 0 ? text : text.substring(Math.min(scan.messageStart(), text.length()));
        String original = line;
        if (finding != null) {
            if (finding.secret() != null) {
                message = message.replace(finding.secret(), REDACTED);
                original = redact(original, finding.secret());
            }
            dumps.watchForPacketDump(finding, message);
        } else if (scan.fileIs("pjproject") && mayMarkDroppedPacket()) {
            dumps.watchForDroppedDump(message);
        }
        String attemptId = finding == null ? null : attempts.attemptOf(finding, timestamp);
        if (finding != null) {
            Finding scan = scans.observe(finding, timestamp);
            if (scan != null) {
                String said = scan.action().id() + " from " + scan.source().ip() + ": " + scan.reason();
                LogPrefix signalPrefix = new LogPrefix(prefix.layout(), timestamp, null, -1, null, null, -1, null,
                        prefix.hostname(), prefix.program(), prefix.pid());
                signal = new AsteriskEvent(lineNumber, timestamp, signalPrefix, said, said, scan, options.path(), false,
                        false, null);
            }
        }
        return new AsteriskEvent(lineNumber, timestamp, prefix, message, original, finding, options.path(), false,
                truncated, attemptId);
    }

    private Instant resolveTimestamp() {
        Instant timestamp = scan.instant();
        if (timestamp == null && scan.stampSource() != null) {
            // A plain line's own stamp is compared from its bytes (StampResolver#resolve).
            byte[] bytes = scan.stampSource() == scan.text() ? scan.lineBytes() : null;
            timestamp = stamps.resolve(scan.stampSource(), scan.stampFrom(), scan.stampTo(), bytes, scan.lineOffset());
        }
        if (timestamp == null) {
            timestamp = lastTimestamp != null ? lastTimestamp : options.clock().instant();
        }
        lastTimestamp = timestamp;
        return timestamp;
    }

    /** Keeps the year context moving on noise lines in the fast path (a year change can happen between two attacks). */
    private void trackStamp() {
        if (scan.stampSource() != null) {
            // The year context moves only when the date does (NoiseFilter#follow).
            Instant followed = noise.follow(scan.stampSource(), scan.stampFrom(), scan.stampTo());
            if (followed != null) {
                lastTimestamp = followed;
            }
        } else if (scan.instant() != null) {
            lastTimestamp = scan.instant();
        }
    }

    private ParseResult packetDumpResult(PacketDump.Line line) {
        Instant timestamp = currentTime();
        LogPrefix prefix = new LogPrefix(Layout.BARE, timestamp, null, -1, null, null, -1, null, null, null, -1);
        return new ParseResult.Parsed(new AsteriskEvent(line.sequence(), timestamp, prefix, line.cleaned(),
                line.cleaned(), null, options.path(), true, line.truncated(), null));
    }

    /**
     * False when the message of the plain line just scanned has no {@link PacketDumpWatch#DROPPED_PACKET} starting in
     * its first {@value PacketDumpWatch#DROPPED_MARK_LIMIT} + 1 characters, where
     * {@link PacketDumpWatch#watchForDroppedDump} looks for it: found from the
     * line's bytes, so that each pjproject line is not searched to its end. True otherwise, and for a line that is
     * not read from its bytes.
     */
    private boolean mayMarkDroppedPacket() {
        byte[] bytes = scan.lineBytes();
        if (bytes == null) {
            return true;
        }
        int at = scan.lineOffset() + Math.min(scan.messageStart(), scan.text().length());
        byte[] mark = PacketDumpWatch.DROPPED_BYTES;
        int last = Math.min(at + PacketDumpWatch.DROPPED_MARK_LIMIT, scan.lineOffset() + scan.text().length() - mark.length);
        for (int i = at; i <= last; i++) {
            if (bytes[i + 1] == 'D' && bytes[i] == ' ' && ByteWords.startsWith(bytes, i, mark)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The line as read without the secret: as text, and also where a journald record holds the message as an array of
     * byte values (journald does so when the message has a control character, which the sender can put there).
     */
    private static String redact(String line, String secret) {
        String redacted = line.replace(secret, REDACTED);
        if (line.startsWith("{")) {
            redacted = redacted.replace(byteValues(secret), byteValues(REDACTED));
        }
        return redacted;
    }

    private static String byteValues(String text) {
        StringBuilder out = new StringBuilder(text.length() * 4);
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(b & 0xff);
        }
        return out.toString();
    }

    private AsteriskEvent takeSignal() {
        AsteriskEvent taken = signal;
        signal = null;
        return taken;
    }

    private Instant currentTime() {
        return lastTimestamp != null ? lastTimestamp : options.clock().instant();
    }

    private static String keep(String line) {
        return line.length() <= MAX_REJECTED_KEPT ? line : line.substring(0, MAX_REJECTED_KEPT);
    }
}
