package org.tollgate.normalizer.json;

import static org.tollgate.normalizer.json.EcsNames.*;
import static org.tollgate.normalizer.json.EventHeads.*;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.InstantSource;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.call.CallEvent;
import org.tollgate.normalizer.geo.SourceGeo;
import org.tollgate.normalizer.message.EventAction;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.normalizer.prefix.LogPrefix;

/**
 * Writes events as nested Elastic Common Schema JSON, one object per event. Field names and values are those of
 * {@code docs/events.md}; Asterisk-only fields live under {@code asterisk.*}. Absent values are left out. One
 * instance per thread: it writes each event into a buffer of its own ({@link JsonOut}, which says how strings are
 * escaped), kept from one event to the next.
 *
 * <p>A writer with an {@link Observer} (the running service's) also writes {@code observer.*}, {@code ecs.version}
 * and {@code event.ingested} on every event; one without (a file checked by hand, the golden tests) leaves them out.
 * A {@link SourceGeo} given with an event goes into {@code source.geo.*} and {@code source.as.*}.
 */
public final class EcsJsonWriter {

    /** No number after an {@code event.id}: the id is the string given. */
    private static final long NO_NUMBER = -1;

    private final JsonOut out = new JsonOut();
    private final IsoInstant instants = new IsoInstant();
    /** {@code log.origin.file.name} with the objects it opens: a few files, each the same string line after line. */
    private final EncodedStrings originFiles = new EncodedStrings(ORIGIN_FILE_NAME);
    /**
     * For {@code event.ingested} alone: a file read after the fact has its lines' seconds and the reading's second
     * apart, and one {@link IsoInstant} for both went from one to the other and back, a date written anew twice a line.
     */
    private final IsoInstant ingestedInstants = new IsoInstant();
    private String lastPath;
    /** {@code "file":{"path":"…"}} of {@link #lastPath}. */
    private byte[] lastPathJson;
    private final InstantSource ingestClock;
    /** {@code ecs.version} and {@code observer.*}, encoded once; null without an observer. */
    private final byte[] observerMembers;
    /** The last {@code event.id} prefix given and its bytes ({@link EncodedOnce#openString}): a source's path. */
    private String lastIdPrefix;
    private byte[] lastIdOpen;
    /** True while an event whose message and original are ASCII alone is written ({@link ParseResult.Parsed}). */
    private boolean asciiText;

    /** A writer of the events alone, without observer fields. */
    public EcsJsonWriter() {
        this(null, null);
    }

    /**
     * @param observer    written as {@code observer.*} with {@code ecs.version}; null for none
     * @param ingestClock the time written as {@code event.ingested}; ignored without an observer
     */
    public EcsJsonWriter(Observer observer, InstantSource ingestClock) {
        this.ingestClock = observer == null ? null : java.util.Objects.requireNonNull(ingestClock, "ingestClock");
        this.observerMembers = observer == null ? null : EncodedOnce.members(json -> writeObserver(json, observer));
    }

    /** The event as one line of JSON (no line end). */
    public String toJson(ParseResult result) {
        return toJson(result, null);
    }

    /**
     * The event, with {@code geo} as its source's place when not null, as one line of JSON (no line end). As text, a
     * surrogate pair stays the character it is (the bytes {@link #writeLine} writes escape each of its halves, as
     * Jackson's byte generator did); a lone surrogate is an escape in both.
     */
    public String toJson(ParseResult result, SourceGeo geo) {
        out.reset(true);
        write(result, geo, null, NO_NUMBER, out);
        return out.text();
    }

    /**
     * Writes the event as UTF-8 JSON followed by a line feed into {@code target}, without flushing it: the caller
     * buffers the target and decides when its bytes go out (a flush per line is a {@code write(2)} per line).
     */
    public void writeLine(ParseResult result, OutputStream target) throws IOException {
        writeLine(result, null, target);
    }

    /** As {@link #writeLine(ParseResult, OutputStream)}, with {@code geo} (or null) as the source's place. */
    public void writeLine(ParseResult result, SourceGeo geo, OutputStream target) throws IOException {
        writeLine(result, geo, null, target);
    }

    /**
     * As {@link #writeLine(ParseResult, SourceGeo, OutputStream)}, with {@code id} (or null) as {@code event.id}: what
     * names the line itself (its file and byte offset), the same each time the line is read. The line is written
     * whole into this writer's buffer, then handed to {@code target} in one {@code write}.
     */
    public void writeLine(ParseResult result, SourceGeo geo, String id, OutputStream target) throws IOException {
        writeLine(result, geo, id, NO_NUMBER, target);
    }

    /**
     * As {@link #writeLine(ParseResult, SourceGeo, String, OutputStream)} with {@code idPrefix + idNumber} as the id
     * (a file source's: its file, then the line's byte offset), the same bytes, without making that string;
     * {@code idNumber} negative for {@code idPrefix} alone.
     */
    public void writeLine(ParseResult result, SourceGeo geo, String idPrefix, long idNumber, OutputStream target)
            throws IOException {
        out.reset();
        write(result, geo, idPrefix, idNumber, out);
        out.raw('\n');
        out.writeTo(target);
    }

    /**
     * As {@link #writeLine(ParseResult, SourceGeo, String, long, OutputStream)}, the line written at the end of
     * {@code block}, where it goes out from: the same bytes, not copied.
     */
    public void writeLine(ParseResult result, SourceGeo geo, String idPrefix, long idNumber, JsonBlock block) {
        JsonOut json = block.out;
        json.startLine();
        write(result, geo, idPrefix, idNumber, json);
        json.raw('\n');
    }

    private void write(ParseResult result, SourceGeo geo, String id, long idNumber, JsonOut json) {
        if (result instanceof ParseResult.Parsed parsed) {
            asciiText = parsed.asciiText();
            write(parsed.event(), geo, id, idNumber, json);
        } else if (result instanceof ParseResult.Rejected rejected) {
            writeRejected(rejected, id, idNumber, json);
        }
    }

    private void write(AsteriskEvent event, SourceGeo geo, String id, long idNumber, JsonOut json) {
        if (event.call() != null) {
            writeCall(event, event.call(), geo, id, idNumber, json);
            return;
        }
        Finding finding = event.finding();
        LogPrefix prefix = event.prefix();
        if (finding != null) {
            writeFindingHead(json, event, finding);
        } else {
            openEvent(json, event, LOG_EVENT_HEAD);
            if (event.packetDump()) {
                string(json, ACTION, ACTION_PACKET_DUMP);
            }
        }
        closeEvent(json, event, id, idNumber);
        writeLog(json, prefix, event.path());
        if (finding != null) {
            PartyMembers.findingParties(json, finding, geo);
        }
        writeProcessAndHost(json, prefix);
        if (finding != null) {
            PartyMembers.related(json, finding);
        }
        writeAsterisk(json, event, finding, prefix);
        writeObserver(json);
        json.endObject();
    }

    /*
     * The parts of an event each in a method of its own, small enough for the second compiler to compile early and
     * inline under its default limits; a line of noise calls none of the finding's.
     */

    /** A finding's event opened, its {@code event.dataset}, category, type, action, outcome, reason and provider. */
    private void writeFindingHead(JsonOut json, AsteriskEvent event, Finding finding) {
        EventAction action = finding.action();
        String actionName = finding.actionName();
        if (actionName == action.id()) { // (the same object: no user's filter in the name)
            openEvent(json, event, FINDING_ACTIONS[action.ordinal()]);
        } else {
            openEvent(json, event, FINDING_KINDS[action.ordinal()]);
            string(json, ACTION, actionName);
            string(json, OUTCOME, OUTCOMES[action.outcome().ordinal()]);
        }
        writeIfPresent(json, REASON, finding.reason());
        writeIfPresent(json, PROVIDER, finding.provider());
    }

    /** The end of the {@code event} object: id, original, sequence, ingested. */
    private void closeEvent(JsonOut json, AsteriskEvent event, String id, long idNumber) {
        writeId(json, id, idNumber);
        writeOriginal(json, event);
        number(json, SEQUENCE, event.sequence());
        writeIngested(json);
        json.endObject();
    }

    /** {@code event.original}, most of which ends with the message written before it. */
    private void writeOriginal(JsonOut json, AsteriskEvent event) {
        if (asciiText) {
            json.asciiFieldEndingWithKept(ORIGINAL, event.original());
        } else {
            json.fieldEndingWithKept(ORIGINAL, event.original());
        }
    }

    /**
     * A call event: {@code event.dataset} {@code asterisk.call}, category network, the endpoint as {@code user.name},
     * the address it last registered or authenticated from as {@code source}, and the call under
     * {@code asterisk.call}.
     */
    private void writeCall(AsteriskEvent event, CallEvent call, SourceGeo geo, String id, long idNumber,
                           JsonOut json) {
        LogPrefix prefix = event.prefix();
        openEvent(json, event, CALL_EVENT_HEAD);
        json.value(switch (call.kind()) {
            case STARTED -> TYPE_START;
            case ANSWERED -> TYPE_INFO;
            case ENDED -> TYPE_END;
        });
        json.endArray();
        string(json, ACTION, call.kind().action());
        string(json, OUTCOME, call.outcome());
        string(json, PROVIDER, call.provider());
        writeId(json, id, idNumber);
        writeOriginal(json, event);
        number(json, SEQUENCE, event.sequence());
        if (call.duration() != null) {
            number(json, DURATION, call.duration().toNanos());
        }
        writeIngested(json);
        json.endObject();
        writeLog(json, prefix, event.path());
        String endpoint = call.endpoint();
        PartyMembers.endpoint(json, SOURCE, call.source(), call.trusted() ? geo : null);
        String technology = call.technology();
        int protocol = NetworkMembers.callProtocol(technology);
        if (protocol != NetworkMembers.NONE || call.source() != null) {
            NetworkMembers.write(json, NetworkMembers.NONE, protocol, NetworkMembers.type(call.source()));
        }
        object(json, USER);
        string(json, NAME, endpoint);
        json.endObject();
        writeProcessAndHost(json, prefix);
        object(json, RELATED);
        if (call.source() != null) {
            array(json, IP);
            json.value(call.source().ip());
            json.endArray();
        }
        array(json, USER);
        json.value(endpoint);
        json.endArray();
        json.endObject();
        writeCallAsterisk(json, event, call, technology);
        writeObserver(json);
        json.endObject();
    }

    /** A call's {@code asterisk.*}: its own method, so the second compiler compiles each half of a call apart. */
    private void writeCallAsterisk(JsonOut json, AsteriskEvent event, CallEvent call, String technology) {
        LogPrefix prefix = event.prefix();
        json.members(ASTERISK_LAYOUTS[prefix.layout().ordinal()]);
        writeIfPresent(json, CALL_ID, prefix.callId());
        if (call.source() != null) {
            bool(json, SOURCE_TRUSTED, call.trusted());
            string(json, ADDRESS_ORIGIN, ORIGINS[call.origin().ordinal()]);
        }
        writeIfPresent(json, EXTENSION, call.exten());
        writeIfPresent(json, CONTEXT, call.context());
        object(json, CALL);
        string(json, CHANNEL, call.channel());
        writeIfPresent(json, PEER_CHANNEL, call.peerChannel());
        writeIfPresent(json, TECHNOLOGY, technology);
        string(json, NUMBER, call.destination().number());
        string(json, DESTINATION_CLASS, call.destination().type().id());
        writeInstant(json, STARTED, call.startedAt());
        if (call.answeredAt() != null) {
            writeInstant(json, ANSWERED, call.answeredAt());
        }
        if (call.endedAt() != null) {
            writeInstant(json, ENDED, call.endedAt());
        }
        long talked = call.talkedSeconds();
        if (call.kind() == CallEvent.Kind.ENDED && talked >= 0) {
            number(json, BILLSEC, talked);
        }
        writeIfPresent(json, DISPOSITION, call.disposition());
        writeIfPresent(json, DIAL, call.dial());
        writeIfPresent(json, CALLED, call.called());
        writeIfPresent(json, UNIQUE_ID, call.uniqueId());
        json.endObject();
        if (event.truncated()) {
            bool(json, TRUNCATED, true);
        }
        json.endObject();
    }

    /** Opens the event with {@code @timestamp} and {@code message}, and its {@code event} object with {@code head}. */
    private void openEvent(JsonOut json, AsteriskEvent event, byte[] head) {
        json.name(OPEN_TIMESTAMP);
        json.value(event.timestamp(), instants);
        if (asciiText) {
            json.asciiKeptField(MESSAGE, event.message());
        } else {
            json.keptField(MESSAGE, event.message());
        }
        json.members(head);
    }

    /** {@code process} (pid, name, thread) and {@code host.hostname}, as far as the line's prefix gives them. */
    private static void writeProcessAndHost(JsonOut json, LogPrefix prefix) {
        if (prefix.pid() < 0 && prefix.program() == null) {
            if (prefix.threadId() >= 0) { // a file line's
                json.name(PROCESS_THREAD_ID);
                json.value(prefix.threadId());
                json.endObject();
                json.endObject();
            }
        } else {
            object(json, PROCESS);
            if (prefix.pid() >= 0) {
                number(json, PID, prefix.pid());
            }
            writeIfPresent(json, NAME, prefix.program());
            if (prefix.threadId() >= 0) {
                object(json, THREAD);
                number(json, ID, prefix.threadId());
                json.endObject();
            }
            json.endObject();
        }
        if (prefix.hostname() != null) {
            object(json, HOST);
            string(json, HOSTNAME, prefix.hostname());
            json.endObject();
        }
    }

    /** {@code event.ingested}: when this writer wrote the event (a running service only). */
    private void writeIngested(JsonOut json) {
        if (ingestClock != null) {
            json.name(INGESTED);
            json.value(ingestClock.instant(), ingestedInstants);
        }
    }

    /** {@code ecs.version} and {@code observer.*} (a running service only). */
    private void writeObserver(JsonOut json) {
        if (observerMembers != null) {
            json.members(observerMembers);
        }
    }

    /** The members of {@link #observerMembers}. */
    private static void writeObserver(JsonOut json, Observer observer) {
        object(json, ECS);
        string(json, VERSION, ECS_VERSION_VALUE);
        json.endObject();
        object(json, OBSERVER);
        string(json, HOSTNAME, EncodedOnce.quoted(observer.hostname()));
        if (observer.ip() != null) {
            string(json, IP, EncodedOnce.quoted(observer.ip()));
        }
        string(json, PRODUCT, PRODUCT_VALUE);
        string(json, VENDOR, VENDOR_VALUE);
        string(json, VERSION, EncodedOnce.quoted(observer.version()));
        json.endObject();
    }

    private void writeLog(JsonOut json, LogPrefix prefix, String path) {
        if (prefix.level() == null && path == null && prefix.file() == null && prefix.function() == null) {
            return; // a packet-dump or bare line: no empty "log" object
        }
        int level = prefix.level() == null ? -1 : EcsNames.levelIndex(prefix.level());
        if (level >= 0) {
            json.members(LOG_LEVELS[level]);
        } else {
            object(json, LOG);
            if (prefix.level() != null) {
                string(json, LEVEL, EcsNames.level(prefix.level()));
            }
        }
        if (path != null) {
            json.members(encodedPath(path));
        }
        if (prefix.file() != null) {
            originFiles.write(json, prefix.file());
            if (prefix.fileLine() >= 0) {
                number(json, LINE, prefix.fileLine());
            }
            json.endObject();
            writeIfPresent(json, FUNCTION, prefix.function());
            json.endObject();
        } else if (prefix.function() != null) {
            object(json, ORIGIN);
            string(json, FUNCTION, prefix.function());
            json.endObject();
        }
        json.endObject();
    }

    /** {@code @timestamp}, written straight into the buffer: no String per event. */
    private void writeTimestamp(JsonOut json, Instant timestamp) {
        writeInstant(json, TIMESTAMP, timestamp);
    }

    private void writeInstant(JsonOut json, byte[] name, Instant timestamp) {
        json.name(name);
        json.value(timestamp, instants);
    }

    /**
     * {@code "file":{"path":"…"}}: a source's lines all carry its path, encoded once per run of lines from the same
     * file.
     */
    private byte[] encodedPath(String path) {
        if (!path.equals(lastPath)) {
            byte[] quoted = EncodedOnce.quoted(path);
            lastPath = path;
            lastPathJson = EncodedOnce.members(json -> {
                object(json, FILE);
                string(json, PATH, quoted);
                json.endObject();
            });
        }
        return lastPathJson;
    }

    private static void writeAsterisk(JsonOut json, AsteriskEvent event, Finding finding, LogPrefix prefix) {
        json.members(ASTERISK_LAYOUTS[prefix.layout().ordinal()]);
        writeIfPresent(json, CALL_ID, prefix.callId());
        if (finding != null) {
            writeAsteriskFinding(json, event, finding);
        }
        if (event.packetDump()) {
            bool(json, PACKET_DUMP, true);
        }
        if (event.truncated()) {
            bool(json, TRUNCATED, true);
        }
        json.endObject();
    }

    /** A finding's {@code asterisk.*}: trust in the source, the session, the attempt and what the line names. */
    private static void writeAsteriskFinding(JsonOut json, AsteriskEvent event, Finding finding) {
        json.members(TRUST[finding.sourceTrusted() ? 1 : 0][finding.origin() == null ? 0 : finding.origin().ordinal() + 1]
                [finding.patched() ? 1 : 0]);
        if (finding.sourceProblem() != null) {
            string(json, SOURCE_PROBLEM, PROBLEMS[finding.sourceProblem().ordinal()]);
        }
        writeIfPresent(json, SESSION_ID, finding.sessionId());
        writeIfPresent(json, ATTEMPT_ID, event.attemptId());
        writeIfPresent(json, SECURITY_EVENT, finding.securityEvent());
        writeIfPresent(json, SERVICE, finding.service());
        writeIfPresent(json, VERSION_FAMILY, finding.versionFamily());
        writeIfPresent(json, TRANSPORT, finding.transport());
        writeIfPresent(json, SIP_METHOD, finding.sipMethod());
        writeIfPresent(json, EXTENSION, finding.extension());
        writeIfPresent(json, CONTEXT, finding.context());
        writeIfPresent(json, ACL_NAME, finding.aclName());
        if (finding.attempts() >= 0) {
            number(json, ATTEMPTS, finding.attempts());
        }
    }

    private void writeRejected(ParseResult.Rejected rejected, String id, long idNumber, JsonOut json) {
        json.startObject();
        writeTimestamp(json, rejected.timestamp());
        object(json, EVENT);
        string(json, KIND, KIND_PIPELINE_ERROR);
        string(json, MODULE, MODULE_ASTERISK);
        string(json, DATASET, DATASET_LOG);
        writeId(json, id, idNumber);
        string(json, ORIGINAL, rejected.raw());
        number(json, SEQUENCE, rejected.sequence());
        writeIngested(json);
        json.endObject();
        object(json, ERROR);
        string(json, TYPE, REJECTIONS[rejected.reason().ordinal()]);
        string(json, MESSAGE, (rejected.path() == null ? "line " : rejected.path() + " line ")
                + rejected.sequence() + ": " + rejected.reason().text());
        json.endObject();
        if (rejected.path() != null) {
            object(json, LOG);
            object(json, FILE);
            string(json, PATH, rejected.path());
            json.endObject();
            json.endObject();
        }
        writeObserver(json);
        json.endObject();
    }

    /** {@code event.id}: {@code id} and, unless negative, the digits of {@code idNumber}; nothing for a null id. */
    private void writeId(JsonOut json, String id, long idNumber) {
        if (id == null) {
            return;
        }
        if (idNumber < 0) {
            json.field(ID, id);
            return;
        }
        if (id != lastIdPrefix && !id.equals(lastIdPrefix)) { // a source hands on its one prefix line after line
            lastIdPrefix = id;
            lastIdOpen = EncodedOnce.openString(ID, id);
        }
        if (lastIdOpen != null) {
            json.fieldEndingWithNumber(lastIdOpen, idNumber);
        } else {
            json.field(ID, id, idNumber);
        }
    }

    private static void writeIfPresent(JsonOut json, byte[] name, String value) {
        if (value != null) {
            json.field(name, value);
        }
    }

    private static void string(JsonOut json, byte[] name, String value) {
        json.field(name, value);
    }

    private static void string(JsonOut json, byte[] name, byte[] value) {
        json.field(name, value);
    }

    private static void number(JsonOut json, byte[] name, long value) {
        json.field(name, value);
    }

    private static void bool(JsonOut json, byte[] name, boolean value) {
        json.field(name, value);
    }

    private static void object(JsonOut json, byte[] name) {
        json.startObject(name);
    }

    private static void array(JsonOut json, byte[] name) {
        json.startArray(name);
    }
}
