package org.tollgate.normalizer.call;

import java.util.Arrays;
import java.util.List;

/**
 * What kind of number a call went to ({@code asterisk.call.destination_class}), as the {@link NumberingPlan} reads the
 * dialled digits. Fraud jails count calls by these names.
 */
public enum DestinationClass {
    /** A number of the emergency list (112, 911, …): never blocked by default. */
    EMERGENCY("emergency"),
    /** A service number of the short-code list (116…, 118…). */
    SHORT_CODE("short-code"),
    /** An extension of this PBX: a few digits, no prefix. */
    INTERNAL("internal"),
    /** A subscriber number dialled without a national or international prefix. */
    LOCAL("local"),
    /** A number dialled with the national (trunk) prefix, or internationally in the PBX's own country. */
    NATIONAL("national"),
    /** A number dialled with an international prefix, outside the other classes. */
    INTERNATIONAL("international"),
    /** Premium-rate ranges (0900, 1-900, +979, …). */
    PREMIUM("premium"),
    /** Satellite phones and the global networks (+870–874, +881–883). */
    SATELLITE("satellite"),
    /** Not a phone number at all ({@code s}, {@code h}, a SIP user name). */
    UNKNOWN("unknown");

    private final String id;

    DestinationClass(String id) {
        this.id = id;
    }

    /** The name in events and in tollgate.yaml. */
    public String id() {
        return id;
    }

    /** The class of this name, or null. */
    public static DestinationClass byId(String id) {
        for (DestinationClass value : values()) {
            if (value.id.equals(id)) {
                return value;
            }
        }
        return null;
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(DestinationClass::id).toList();
    }
}
