package org.tollgate.normalizer.json;

import static org.tollgate.normalizer.json.EcsNames.IPV4;
import static org.tollgate.normalizer.json.EcsNames.IPV6;
import static org.tollgate.normalizer.json.EcsNames.NETWORK;
import static org.tollgate.normalizer.json.EcsNames.PROTOCOL;
import static org.tollgate.normalizer.json.EcsNames.TRANSPORT;
import static org.tollgate.normalizer.json.EcsNames.TYPE;

import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.message.Finding;

/**
 * An event's {@code network} object: {@code transport}, {@code protocol} and {@code type}, each one of a few words, so
 * the object is encoded once for each of their combinations and copied in one call, not written word by word on
 * every security event. Each part is given by its index, {@link #NONE} for a part left out.
 */
final class NetworkMembers {

    /** A part left out. */
    static final int NONE = 0;
    /** ECS {@code network.transport}, the IANA name of the layer-4 protocol, by index. */
    private static final String[] TRANSPORTS = {null, "udp", "tcp"};
    private static final int UDP = 1;
    private static final int TCP = 2;
    /** ECS {@code network.protocol}, the application protocol, by index. */
    private static final String[] PROTOCOLS = {null, "sip", "iax2", "ami"};
    private static final int SIP = 1;
    private static final int IAX2 = 2;
    private static final int AMI = 3;
    /** ECS {@code network.type} by index. */
    private static final byte[][] TYPES = {null, IPV4, IPV6};
    /** {@code "network":{…}} by transport, protocol and type. */
    private static final byte[][][][] OBJECTS = new byte[TRANSPORTS.length][PROTOCOLS.length][TYPES.length][];

    static {
        for (int transport = 0; transport < TRANSPORTS.length; transport++) {
            for (int protocol = 0; protocol < PROTOCOLS.length; protocol++) {
                for (int type = 0; type < TYPES.length; type++) {
                    String transportName = TRANSPORTS[transport];
                    String protocolName = PROTOCOLS[protocol];
                    byte[] typeName = TYPES[type];
                    OBJECTS[transport][protocol][type] = EncodedOnce.members(json -> {
                        json.startObject(NETWORK);
                        if (transportName != null) {
                            json.field(TRANSPORT, transportName);
                        }
                        if (protocolName != null) {
                            json.field(PROTOCOL, protocolName);
                        }
                        if (typeName != null) {
                            json.field(TYPE, typeName);
                        }
                        json.endObject();
                    });
                }
            }
        }
    }

    private NetworkMembers() {
    }

    /** Writes {@code "network":{…}} of the parts given. */
    static void write(JsonOut json, int transport, int protocol, int type) {
        json.members(OBJECTS[transport][protocol][type]);
    }

    /** A finding's transport: the one its line names, else the one its provider always uses. */
    static int transport(Finding finding) {
        String transport = finding.transport();
        if (transport != null) {
            return transport.equals("UDP") ? UDP : TCP;
        }
        if (finding.provider() == null) {
            return NONE;
        }
        return switch (finding.provider()) {
            case "chan_iax2" -> UDP;
            case "manager" -> TCP;
            default -> NONE;
        };
    }

    /** A finding's application protocol, by its provider. */
    static int protocol(String provider) {
        if (provider == null) {
            return NONE; // a user's filter: what it watches is the user's to say
        }
        return switch (provider) {
            case "chan_sip", "res_pjsip", "pjproject", "dialplan", "tollgate-shield" -> SIP;
            case "chan_iax2" -> IAX2;
            case "manager" -> AMI;
            default -> NONE;
        };
    }

    /** A call's application protocol, by its channel technology. */
    static int callProtocol(String technology) {
        if (technology == null) {
            return NONE;
        }
        return switch (technology) {
            case "SIP", "PJSIP" -> SIP;
            case "IAX2" -> IAX2;
            default -> NONE;
        };
    }

    /** The address family of {@code source}, or none without one. */
    static int type(Endpoint source) {
        if (source == null) {
            return NONE;
        }
        return source.isIpv6() ? 2 : 1;
    }
}
