package org.tollgate.banner.jail;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a jail's {@code actions} list, kept as written so the firewall actions (and the alert actions, which
 * tell people rather than firewalls: {@link #ALERT_TYPES}) can be built from it and can report their own errors with
 * the line.
 *
 * @param type   one of {@link #TYPES}
 * @param params every other key of the entry, with its value as text, in file order
 * @param path   the entry's dotted key path, such as {@code jails.sip-auth.actions[0]}, for messages
 * @param file   the configuration file as the user named it, for messages
 * @param line   1-based line of the entry in that file (0 when built in code)
 */
public record ActionSettings(String type, Map<String, String> params, String path, String file, int line) {

    /** The firewall actions: each ban is put in force there, checked and put back when lost. */
    public static final List<String> FIREWALL_TYPES = List.of(
            "firewalld-rich-rule", "firewalld-ipset", "ipset", "nftables", "iptables-allports", "conntrack", "log");
    /** The alert actions: told of each ban once, never asked whether it is in force. */
    public static final List<String> ALERT_TYPES = List.of("mail", "webhook");
    /** The action types a jail may name. */
    public static final List<String> TYPES = java.util.stream.Stream.concat(FIREWALL_TYPES.stream(),
            ALERT_TYPES.stream()).toList();

    public ActionSettings {
        Objects.requireNonNull(type, "type");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("action type '" + type + "' is not one of " + String.join(", ", TYPES));
        }
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(file, "file");
    }

    /** True for an alert action ({@link #ALERT_TYPES}), false for a firewall action. */
    public boolean alert() {
        return ALERT_TYPES.contains(type);
    }

    /** An entry built in code (tests, the demo), not read from a file. */
    public ActionSettings(String type, Map<String, String> params, int line) {
        this(type, params, "actions." + type, "tollgate.yaml", line);
    }
}
