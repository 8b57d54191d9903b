package org.tollgate.normalizer.json;

import static org.tollgate.normalizer.json.EcsNames.*;

import java.util.Locale;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.message.AddressOrigin;
import org.tollgate.normalizer.message.EventAction;
import org.tollgate.normalizer.message.SourceProblem;
import org.tollgate.normalizer.prefix.Layout;

/**
 * What {@link EcsJsonWriter} writes the same on many events, encoded once at start: the words of the enums by ordinal,
 * and runs of members (an event's head by kind and action, a level's {@code log} object, a layout's {@code asterisk}
 * object, a finding's trust) each copied in one call ({@link JsonOut#members(byte[])}), not a call per name and value.
 */
final class EventHeads {

    // The words of the enums written on every event, each encoded once, by ordinal.
    static final byte[][] CATEGORIES = values(EventAction.Category.values(), EventAction.Category::ecs);
    static final byte[][] TYPES = values(EventAction.Type.values(), EventAction.Type::ecs);
    static final byte[][] OUTCOMES = values(EventAction.Outcome.values(), EventAction.Outcome::ecs);
    static final byte[][] ACTIONS = values(EventAction.values(), EventAction::id);
    static final byte[][] LAYOUTS = values(Layout.values(), Layout::id);
    static final byte[][] ORIGINS = values(AddressOrigin.values(), AddressOrigin::id);
    static final byte[][] PROBLEMS = values(SourceProblem.values(), SourceProblem::id);
    /** A rejected line's {@code error.type}, by reason: its name in lower case. */
    static final byte[][] REJECTIONS = values(ParseResult.RejectReason.values(),
            reason -> reason.name().toLowerCase(Locale.ROOT));
    /*
     * Runs of members written on most events, each encoded once and copied in one call (JsonOut#members, #name) rather
     * than a call per name and value: under the first compiler each call is a call, and under the second each call
     * site is code compiled into the writer.
     */
    /** {@code {"@timestamp":}, the start of every event. */
    static final byte[] OPEN_TIMESTAMP = EncodedOnce.members(json -> {
        json.startObject();
        json.name(TIMESTAMP);
    });
    /** The head of a line's that is not a finding nor a call, with its dataset. */
    static final byte[] LOG_EVENT_HEAD = EncodedOnce.members(json -> {
        writeEventHead(json);
        json.field(DATASET, DATASET_LOG);
    });
    /** The head of a call's, up to the type of every call ({@code connection}) in its array, left open. */
    static final byte[] CALL_EVENT_HEAD = EncodedOnce.members(json -> {
        writeEventHead(json);
        json.field(DATASET, DATASET_CALL);
        json.startArray(CATEGORY);
        json.value(CATEGORY_NETWORK);
        json.endArray();
        json.startArray(TYPE);
        json.value(TYPE_CONNECTION);
    });
    /** {@code "log":{"level":"…"} by level ({@link EcsNames#levelIndex}), the object left open. */
    static final byte[][] LOG_LEVELS = new byte[EcsNames.LEVEL_COUNT][];
    /** {@code "origin":{"file":{"name":}, before a file name ({@link EncodedStrings}). */
    static final byte[] ORIGIN_FILE_NAME = EncodedOnce.members(json -> {
        json.startObject(ORIGIN);
        json.startObject(FILE);
        json.name(NAME);
    });
    /** {@code "process":{"thread":{"id":}, a file line's process. */
    static final byte[] PROCESS_THREAD_ID = EncodedOnce.members(json -> {
        json.startObject(PROCESS);
        json.startObject(THREAD);
        json.name(ID);
    });
    /** {@code "asterisk":{"layout":"…"} by layout, the object left open. */
    static final byte[][] ASTERISK_LAYOUTS = new byte[Layout.values().length][];
    /**
     * A finding's {@code asterisk.source_trusted}, {@code address_origin} and {@code patched}, by trust (0 or 1),
     * origin (its ordinal + 1, 0 for none) and patched (0 or 1).
     */
    static final byte[][][][] TRUST = new byte[2][AddressOrigin.values().length + 1][2][];
    /**
     * A finding's {@code event} head with its dataset, category and type by action, encoded once;
     * {@link #FINDING_ACTIONS} goes on with its action and outcome, for a finding named as its action is.
     */
    static final byte[][] FINDING_KINDS = new byte[EventAction.values().length][];
    static final byte[][] FINDING_ACTIONS = new byte[EventAction.values().length][];

    static {
        for (EventAction action : EventAction.values()) {
            FINDING_KINDS[action.ordinal()] = EncodedOnce.members(json -> {
                writeEventHead(json);
                writeFindingKind(json, action);
            });
            FINDING_ACTIONS[action.ordinal()] = EncodedOnce.members(json -> {
                writeEventHead(json);
                writeFindingKind(json, action);
                json.field(ACTION, ACTIONS[action.ordinal()]);
                json.field(OUTCOME, OUTCOMES[action.outcome().ordinal()]);
            });
        }
        for (int level = 0; level < LOG_LEVELS.length; level++) {
            byte[] value = EcsNames.level(level);
            LOG_LEVELS[level] = EncodedOnce.members(json -> {
                json.startObject(LOG);
                json.field(LEVEL, value);
            });
        }
        for (Layout layout : Layout.values()) {
            ASTERISK_LAYOUTS[layout.ordinal()] = EncodedOnce.members(json -> {
                json.startObject(ASTERISK);
                json.field(LAYOUT, LAYOUTS[layout.ordinal()]);
            });
        }
        for (int trusted = 0; trusted < 2; trusted++) {
            for (int origin = 0; origin <= AddressOrigin.values().length; origin++) {
                for (int patched = 0; patched < 2; patched++) {
                    boolean isTrusted = trusted == 1;
                    boolean isPatched = patched == 1;
                    byte[] originValue = origin == 0 ? null : ORIGINS[origin - 1];
                    TRUST[trusted][origin][patched] = EncodedOnce.members(json -> {
                        json.field(SOURCE_TRUSTED, isTrusted);
                        if (originValue != null) {
                            json.field(ADDRESS_ORIGIN, originValue);
                        }
                        json.field(PATCHED, isPatched);
                    });
                }
            }
        }
    }

    /** {@code "event":{"kind":"event","module":"asterisk"}, for the heads encoded once. */
    private static void writeEventHead(JsonOut json) {
        json.startObject(EVENT);
        json.field(KIND, KIND_EVENT);
        json.field(MODULE, MODULE_ASTERISK);
    }

    /** {@code event.dataset}, category and type of a finding of {@code action}, for {@link #FINDING_KINDS}. */
    private static void writeFindingKind(JsonOut json, EventAction action) {
        json.field(DATASET, DATASET_SECURITY);
        json.startArray(CATEGORY);
        json.value(CATEGORIES[action.category().ordinal()]);
        json.endArray();
        json.startArray(TYPE);
        json.value(TYPES[action.type().ordinal()]);
        json.endArray();
    }

    private EventHeads() {
    }
}
