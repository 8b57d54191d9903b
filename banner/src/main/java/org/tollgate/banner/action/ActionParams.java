package org.tollgate.banner.action;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.config.Echo;
import org.tollgate.banner.jail.ActionSettings;

/**
 * Typed, checked access to an action's parameters. Every value ends up in a firewall tool's argument list, so each
 * is held to a strict pattern here, once, when the configuration loads; an error names the key, echoes the value and
 * says what is allowed.
 */
final class ActionParams {

    /** Names of sets, tables, chains and zones: letters, digits, '_', '-'; no spaces, quotes or shell characters. */
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    private final ActionSettings settings;

    ActionParams(ActionSettings settings, Set<String> known) {
        this.settings = settings;
        for (String key : settings.params().keySet()) {
            if (!known.contains(key)) {
                throw error(key, "unknown parameter of the " + settings.type() + " action; known: "
                        + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known))));
            }
        }
    }

    String type() {
        return settings.type();
    }

    /** The value of {@code key}, or {@code fallback} when absent; must be a {@link #NAME} no longer than {@code max}. */
    String name(String key, String fallback, int max) {
        String value = raw(key);
        if (value == null) {
            return fallback;
        }
        if (value.length() > max || !NAME.matcher(value).matches()) {
            throw error(key, "expected a name of at most " + max
                    + " letters, digits, '_' or '-' starting with a letter, was " + Echo.quote(value));
        }
        return value;
    }

    /** One of {@code allowed}, matched without regard to case and returned as spelled in {@code allowed}. */
    String choice(String key, String fallback, List<String> allowed) {
        String value = raw(key);
        if (value == null) {
            return fallback;
        }
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value.strip())) {
                return candidate;
            }
        }
        throw error(key, "expected one of " + String.join(", ", allowed) + ", was " + Echo.quote(value));
    }

    boolean flag(String key, boolean fallback) {
        String value = raw(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(key, "expected true or false, was " + Echo.quote(value));
        };
    }

    int integer(String key, int fallback, int min, int max) {
        String value = raw(key);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below with the allowed range.
        }
        throw error(key, "expected a whole number from " + min + " to " + max + ", was " + Echo.quote(value));
    }

    /**
     * Destination ports as iptables multiport takes them: {@code 5060}, {@code 5060,5061}, {@code 5060:5080}; at most
     * 15 entries. {@code null} when absent.
     */
    String ports(String key) {
        String value = raw(key);
        if (value == null) {
            return null;
        }
        String[] parts = value.strip().split(",", -1);
        boolean valid = parts.length <= 15;
        for (int i = 0; valid && i < parts.length; i++) {
            String[] range = parts[i].split(":", -1);
            valid = range.length <= 2;
            for (int j = 0; valid && j < range.length; j++) {
                valid = isPort(range[j]);
            }
        }
        if (!valid) {
            throw error(key, "expected a port (5060), a list (5060,5061) or a range (5060:5080), was " + Echo.quote(value));
        }
        return value.strip();
    }

    ConfigException error(String key, String problem) {
        return new ConfigException(settings.path() + "." + key, problem, settings.file(), settings.line());
    }

    private String raw(String key) {
        Map<String, String> params = settings.params();
        String value = params.get(key);
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535;
    }
}
