package org.tollgate.normalizer.json;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The ECS field names and the constant values {@link EcsJsonWriter} writes, each encoded once: the generator copies
 * their quoted UTF-8 bytes instead of escaping and encoding the same few words for every event.
 */
final class EcsNames {

    static final SerializableString ACL_NAME = of("acl_name");
    static final SerializableString ACTION = of("action");
    static final SerializableString ADDRESS = of("address");
    static final SerializableString ADDRESS_ORIGIN = of("address_origin");
    static final SerializableString ASTERISK = of("asterisk");
    static final SerializableString AS = of("as");
    static final SerializableString ATTEMPT_ID = of("attempt_id");
    static final SerializableString ATTEMPTS = of("attempts");
    static final SerializableString ANSWERED = of("answered");
    static final SerializableString BILLSEC = of("billsec");
    static final SerializableString CALL = of("call");
    static final SerializableString CALLED = of("called");
    static final SerializableString CALL_ID = of("call_id");
    static final SerializableString CHANNEL = of("channel");
    static final SerializableString DESTINATION_CLASS = of("destination_class");
    static final SerializableString DIAL = of("dial");
    static final SerializableString DISPOSITION = of("disposition");
    static final SerializableString DURATION = of("duration");
    static final SerializableString ENDED = of("ended");
    static final SerializableString CATEGORY = of("category");
    static final SerializableString CITY_NAME = of("city_name");
    static final SerializableString CONTINENT_CODE = of("continent_code");
    static final SerializableString COUNTRY_ISO_CODE = of("country_iso_code");
    static final SerializableString COUNTRY_NAME = of("country_name");
    static final SerializableString CONTEXT = of("context");
    static final SerializableString DATASET = of("dataset");
    static final SerializableString DESTINATION = of("destination");
    static final SerializableString ECS = of("ecs");
    static final SerializableString ERROR = of("error");
    static final SerializableString EVENT = of("event");
    static final SerializableString EXTENSION = of("extension");
    static final SerializableString FILE = of("file");
    static final SerializableString FUNCTION = of("function");
    static final SerializableString GEO = of("geo");
    static final SerializableString HOST = of("host");
    static final SerializableString HOSTNAME = of("hostname");
    static final SerializableString ID = of("id");
    static final SerializableString INGESTED = of("ingested");
    static final SerializableString IP = of("ip");
    static final SerializableString KIND = of("kind");
    static final SerializableString LAT = of("lat");
    static final SerializableString LAYOUT = of("layout");
    static final SerializableString LEVEL = of("level");
    static final SerializableString LINE = of("line");
    static final SerializableString LOCATION = of("location");
    static final SerializableString LOG = of("log");
    static final SerializableString LON = of("lon");
    static final SerializableString MESSAGE = of("message");
    static final SerializableString MODULE = of("module");
    static final SerializableString NAME = of("name");
    static final SerializableString NETWORK = of("network");
    static final SerializableString NUMBER = of("number");
    static final SerializableString OBSERVER = of("observer");
    static final SerializableString ORGANIZATION = of("organization");
    static final SerializableString ORIGIN = of("origin");
    static final SerializableString ORIGINAL = of("original");
    static final SerializableString OUTCOME = of("outcome");
    static final SerializableString PACKET_DUMP = of("packet_dump");
    static final SerializableString PATCHED = of("patched");
    static final SerializableString PATH = of("path");
    static final SerializableString PEER_CHANNEL = of("peer_channel");
    static final SerializableString PID = of("pid");
    static final SerializableString PORT = of("port");
    static final SerializableString PROCESS = of("process");
    static final SerializableString PRODUCT = of("product");
    static final SerializableString PROTOCOL = of("protocol");
    static final SerializableString PROVIDER = of("provider");
    static final SerializableString REASON = of("reason");
    static final SerializableString RELATED = of("related");
    static final SerializableString SECURITY_EVENT = of("security_event");
    static final SerializableString SEQUENCE = of("sequence");
    static final SerializableString SERVICE = of("service");
    static final SerializableString SESSION_ID = of("session_id");
    static final SerializableString SIP_METHOD = of("sip_method");
    static final SerializableString SOURCE = of("source");
    static final SerializableString SOURCE_PROBLEM = of("source_problem");
    static final SerializableString SOURCE_TRUSTED = of("source_trusted");
    static final SerializableString STARTED = of("started");
    static final SerializableString TECHNOLOGY = of("technology");
    static final SerializableString THREAD = of("thread");
    static final SerializableString TIMESTAMP = of("@timestamp");
    static final SerializableString TRANSPORT = of("transport");
    static final SerializableString TRUNCATED = of("truncated");
    static final SerializableString TYPE = of("type");
    static final SerializableString UNIQUE_ID = of("unique_id");
    static final SerializableString USER = of("user");
    static final SerializableString VENDOR = of("vendor");
    static final SerializableString VERSION = of("version");
    static final SerializableString VERSION_FAMILY = of("version_family");

    // Values that are the same for many events.
    static final SerializableString KIND_EVENT = of("event");
    static final SerializableString KIND_PIPELINE_ERROR = of("pipeline_error");
    static final SerializableString MODULE_ASTERISK = of("asterisk");
    static final SerializableString DATASET_LOG = of("asterisk.log");
    static final SerializableString DATASET_SECURITY = of("asterisk.security");
    static final SerializableString DATASET_CALL = of("asterisk.call");
    static final SerializableString CATEGORY_NETWORK = of("network");
    static final SerializableString TYPE_CONNECTION = of("connection");
    static final SerializableString TYPE_START = of("start");
    static final SerializableString TYPE_INFO = of("info");
    static final SerializableString TYPE_END = of("end");
    static final SerializableString ACTION_PACKET_DUMP = of("packet-dump");
    static final SerializableString IPV4 = of("ipv4");
    static final SerializableString IPV6 = of("ipv6");
    static final SerializableString ECS_VERSION_VALUE = of(Observer.ECS_VERSION);
    static final SerializableString PRODUCT_VALUE = of(Observer.PRODUCT);
    static final SerializableString VENDOR_VALUE = of(Observer.VENDOR);

    private static final SerializableString[] LEVELS = {
        of("debug"), of("verbose"), of("notice"), of("warning"), of("error"), of("security"), of("dtmf"), of("fax")
    };

    private EcsNames() {
    }

    /**
     * {@code log.level}: the level as Asterisk names it, in lower case; the levels Asterisk has are encoded once.
     */
    static SerializableString level(String level) {
        for (SerializableString known : LEVELS) {
            if (known.getValue().equalsIgnoreCase(level)) {
                return known;
            }
        }
        return of(level.toLowerCase(java.util.Locale.ROOT));
    }

    private static SerializableString of(String text) {
        return new SerializedString(text);
    }
}
