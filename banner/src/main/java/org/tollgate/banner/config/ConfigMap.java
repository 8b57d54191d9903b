package org.tollgate.banner.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** A YAML mapping, keys in file order. */
public record ConfigMap(String path, String file, int line, Map<String, ConfigNode> entries) implements ConfigNode {

    public ConfigMap {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    @Override
    public String kind() {
        return "a mapping";
    }

    /** The value under {@code key}, if present. */
    public Optional<ConfigNode> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** The value under {@code key}, or an error naming the missing key. */
    public ConfigNode require(String key) {
        ConfigNode node = entries.get(key);
        if (node == null) {
            throw error("missing required key '" + key + "'");
        }
        return node;
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /**
     * Fails on the first key that is not in {@code allowed}, naming it and listing the allowed keys:
     * {@code jails.sip-auth.findtme: unknown key 'findtme'; allowed keys: actions, bantime, ... (tollgate.yaml line 9)}.
     */
    public void allowOnly(Collection<String> allowed) {
        for (Map.Entry<String, ConfigNode> entry : entries.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                throw entry.getValue().error("unknown key " + Echo.quote(entry.getKey()) + "; allowed keys: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }
}
