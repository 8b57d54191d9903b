package org.tollgate.normalizer.json;

import java.util.function.Function;

/**
 * The ECS field names and the constant values {@link EcsJsonWriter} writes, each encoded once as the bytes of
 * {@code "name":} or {@code "value"}: they are copied instead of escaping and encoding the same few words for every
 * event.
 */
final class EcsNames {

    static final byte[] ACL_NAME = name("acl_name");
    static final byte[] ACTION = name("action");
    static final byte[] ADDRESS = name("address");
    static final byte[] ADDRESS_ORIGIN = name("address_origin");
    static final byte[] ASTERISK = name("asterisk");
    static final byte[] AS = name("as");
    static final byte[] ATTEMPT_ID = name("attempt_id");
    static final byte[] ATTEMPTS = name("attempts");
    static final byte[] ANSWERED = name("answered");
    static final byte[] BILLSEC = name("billsec");
    static final byte[] CALL = name("call");
    static final byte[] CALLED = name("called");
    static final byte[] CALL_ID = name("call_id");
    static final byte[] CHANNEL = name("channel");
    static final byte[] DESTINATION_CLASS = name("destination_class");
    static final byte[] DIAL = name("dial");
    static final byte[] DISPOSITION = name("disposition");
    static final byte[] DURATION = name("duration");
    static final byte[] ENDED = name("ended");
    static final byte[] CATEGORY = name("category");
    static final byte[] CITY_NAME = name("city_name");
    static final byte[] CONTINENT_CODE = name("continent_code");
    static final byte[] COUNTRY_ISO_CODE = name("country_iso_code");
    static final byte[] COUNTRY_NAME = name("country_name");
    static final byte[] CONTEXT = name("context");
    static final byte[] DATASET = name("dataset");
    static final byte[] DESTINATION = name("destination");
    static final byte[] ECS = name("ecs");
    static final byte[] ERROR = name("error");
    static final byte[] EVENT = name("event");
    static final byte[] EXTENSION = name("extension");
    static final byte[] FILE = name("file");
    static final byte[] FUNCTION = name("function");
    static final byte[] GEO = name("geo");
    static final byte[] HOST = name("host");
    static final byte[] HOSTNAME = name("hostname");
    static final byte[] ID = name("id");
    static final byte[] INGESTED = name("ingested");
    static final byte[] IP = name("ip");
    static final byte[] KIND = name("kind");
    static final byte[] LAT = name("lat");
    static final byte[] LAYOUT = name("layout");
    static final byte[] LEVEL = name("level");
    static final byte[] LINE = name("line");
    static final byte[] LOCATION = name("location");
    static final byte[] LOG = name("log");
    static final byte[] LON = name("lon");
    static final byte[] MESSAGE = name("message");
    static final byte[] MODULE = name("module");
    static final byte[] NAME = name("name");
    static final byte[] NETWORK = name("network");
    static final byte[] NUMBER = name("number");
    static final byte[] OBSERVER = name("observer");
    static final byte[] ORGANIZATION = name("organization");
    static final byte[] ORIGIN = name("origin");
    static final byte[] ORIGINAL = name("original");
    static final byte[] OUTCOME = name("outcome");
    static final byte[] PACKET_DUMP = name("packet_dump");
    static final byte[] PATCHED = name("patched");
    static final byte[] PATH = name("path");
    static final byte[] PEER_CHANNEL = name("peer_channel");
    static final byte[] PID = name("pid");
    static final byte[] PORT = name("port");
    static final byte[] PROCESS = name("process");
    static final byte[] PRODUCT = name("product");
    static final byte[] PROTOCOL = name("protocol");
    static final byte[] PROVIDER = name("provider");
    static final byte[] REASON = name("reason");
    static final byte[] RELATED = name("related");
    static final byte[] SECURITY_EVENT = name("security_event");
    static final byte[] SEQUENCE = name("sequence");
    static final byte[] SERVICE = name("service");
    static final byte[] SESSION_ID = name("session_id");
    static final byte[] SIP_METHOD = name("sip_method");
    static final byte[] SOURCE = name("source");
    static final byte[] SOURCE_PROBLEM = name("source_problem");
    static final byte[] SOURCE_TRUSTED = name("source_trusted");
    static final byte[] STARTED = name("started");
    static final byte[] TECHNOLOGY = name("technology");
    static final byte[] THREAD = name("thread");
    static final byte[] TIMESTAMP = name("@timestamp");
    static final byte[] TRANSPORT = name("transport");
    static final byte[] TRUNCATED = name("truncated");
    static final byte[] TYPE = name("type");
    static final byte[] UNIQUE_ID = name("unique_id");
    static final byte[] USER = name("user");
    static final byte[] VENDOR = name("vendor");
    static final byte[] VERSION = name("version");
    static final byte[] VERSION_FAMILY = name("version_family");

    // Values that are the same for many events.
    static final byte[] KIND_EVENT = value("event");
    static final byte[] KIND_PIPELINE_ERROR = value("pipeline_error");
    static final byte[] MODULE_ASTERISK = value("asterisk");
    static final byte[] DATASET_LOG = value("asterisk.log");
    static final byte[] DATASET_SECURITY = value("asterisk.security");
    static final byte[] DATASET_CALL = value("asterisk.call");
    static final byte[] CATEGORY_NETWORK = value("network");
    static final byte[] TYPE_CONNECTION = value("connection");
    static final byte[] TYPE_START = value("start");
    static final byte[] TYPE_INFO = value("info");
    static final byte[] TYPE_END = value("end");
    static final byte[] ACTION_PACKET_DUMP = value("packet-dump");
    static final byte[] IPV4 = value("ipv4");
    static final byte[] IPV6 = value("ipv6");
    static final byte[] ECS_VERSION_VALUE = value(Observer.ECS_VERSION);
    static final byte[] PRODUCT_VALUE = value(Observer.PRODUCT);
    static final byte[] VENDOR_VALUE = value(Observer.VENDOR);

    private static final String[] LEVEL_NAMES = {
        "debug", "verbose", "notice", "warning", "error", "security", "dtmf", "fax"
    };
    private static final byte[][] LEVELS = new byte[LEVEL_NAMES.length][];

    static {
        for (int i = 0; i < LEVEL_NAMES.length; i++) {
            LEVELS[i] = value(LEVEL_NAMES[i]);
        }
    }

    private EcsNames() {
    }

    /** The number of levels Asterisk has, each with an index ({@link #levelIndex}). */
    static final int LEVEL_COUNT = LEVEL_NAMES.length;

    /**
     * {@code log.level}: the level as Asterisk names it, in lower case; the levels Asterisk has are encoded once.
     */
    static byte[] level(String level) {
        int index = levelIndex(level);
        return index >= 0 ? LEVELS[index] : value(level.toLowerCase(java.util.Locale.ROOT));
    }

    /** The encoded {@code log.level} of the level of {@code index} ({@link #levelIndex}). */
    static byte[] level(int index) {
        return LEVELS[index];
    }

    /** The index of a level Asterisk has, named in any case; -1 for another. */
    static int levelIndex(String level) {
        // The names as the prefix parser gives them, one hash (kept in each constant) and one comparison.
        switch (level) {
            case "DEBUG" -> {
                return 0;
            }
            case "VERBOSE" -> {
                return 1;
            }
            case "NOTICE" -> {
                return 2;
            }
            case "WARNING" -> {
                return 3;
            }
            default -> {
            }
        }
        for (int i = 0; i < LEVEL_NAMES.length; i++) {
            if (LEVEL_NAMES[i].equalsIgnoreCase(level)) {
                return i;
            }
        }
        return -1;
    }

    /** The text {@code text} gives each of {@code constants}, quoted and encoded once, by ordinal. */
    static <E extends Enum<E>> byte[][] values(E[] constants, Function<E, String> text) {
        byte[][] encoded = new byte[constants.length][];
        for (E constant : constants) {
            encoded[constant.ordinal()] = value(text.apply(constant));
        }
        return encoded;
    }

    /** {@code "name":} */
    private static byte[] name(String name) {
        return EncodedOnce.name(name);
    }

    /** {@code "value"} */
    private static byte[] value(String value) {
        return EncodedOnce.quoted(value);
    }
}
