package org.tollgate.banner.config;

import java.util.List;

/** A YAML sequence; items are named {@code path[0]}, {@code path[1]}, ... */
public record ConfigList(String path, String file, int line, List<ConfigNode> items) implements ConfigNode {

    public ConfigList {
        items = List.copyOf(items);
    }

    @Override
    public String kind() {
        return "a list";
    }

    public int size() {
        return items.size();
    }
}
