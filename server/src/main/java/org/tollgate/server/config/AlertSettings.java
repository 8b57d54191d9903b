package org.tollgate.server.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.ConfigScalar;
import org.tollgate.banner.jail.ActionSettings;

/**
 * An alert action of a jail ({@code type: mail} or {@code webhook} in its {@code actions}), validated when the
 * configuration loads: told of each of the jail's bans (of a fraud jail: each of its alerts), never asked whether a
 * ban is in force. Two jails that list
 * the same entry share one action (one queue, one digest).
 */
public sealed interface AlertSettings permits MailSettings, WebhookSettings {

    /**
     * Before a fraud jail's name in {@link TollgateConfig#alerts()} (a fraud jail and a failure jail may share a
     * name): {@code fraud/office}.
     */
    String FRAUD_PREFIX = "fraud/";

    /** {@code mail} or {@code webhook}. */
    String type();

    /**
     * The settings of {@code entry}.
     *
     * @throws org.tollgate.banner.config.ConfigException naming the key, the value and the line of a bad parameter
     */
    static AlertSettings read(ActionSettings entry) {
        ConfigMap params = asMap(entry);
        return switch (entry.type()) {
            case MailSettings.TYPE -> MailSettings.read(params);
            case WebhookSettings.TYPE -> WebhookSettings.read(params);
            default -> throw new IllegalArgumentException(entry.type() + " is not an alert action");
        };
    }

    /** The entry's parameters as a mapping of the configuration's own reader, each with the entry's path and line. */
    private static ConfigMap asMap(ActionSettings entry) {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        entries.put("type", new ConfigScalar(entry.path() + ".type", entry.file(), entry.line(), entry.type()));
        entry.params().forEach((key, value) -> entries.put(key, new ConfigScalar(entry.path() + "." + key,
                entry.file(), entry.line(), value)));
        return new ConfigMap(entry.path(), entry.file(), entry.line(), entries);
    }
}
