package org.tollgate.server.adopt.fail2ban;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a jail's {@code action} (or its {@code filter}) as fail2ban writes it: a name and bracketed
 * parameters, {@code iptables-allports[name=ASTERISK, protocol=udp, port="5060,5061"]}, also in several groups
 * ({@code name[a=1][b=2]}, a later key wins). Values are bare (up to {@code ,} or {@code ]}), or quoted with
 * {@code "} or {@code '} (then they may hold both). Entries of a list are separated by white space or new lines
 * outside brackets, as fail2ban's {@code splitWithOptions} separates them.
 *
 * @param name   the action or filter name, {@code iptables-allports}
 * @param params its parameters in the order written, values stripped
 */
record ActionSpec(String name, Map<String, String> params) {

    ActionSpec {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * The entries of an {@code action} value.
     *
     * @throws IllegalArgumentException describing the first entry that cannot be read
     */
    static List<ActionSpec> parseList(String text) {
        List<ActionSpec> specs = new ArrayList<>();
        Scanner scanner = new Scanner(text);
        while (true) {
            scanner.skipSpaces();
            if (scanner.atEnd()) {
                return specs;
            }
            specs.add(scanner.entry());
        }
    }

    /** One entry ({@code asterisk[mode=normal]}). */
    static ActionSpec parse(String text) {
        Scanner scanner = new Scanner(text);
        scanner.skipSpaces();
        ActionSpec spec = scanner.entry();
        scanner.skipSpaces();
        if (!scanner.atEnd()) {
            throw new IllegalArgumentException("expected one name[key=value, ...], found more after it: '" + text + "'");
        }
        return spec;
    }

    private static final class Scanner {
        private final String text;
        private int i;

        Scanner(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return i >= text.length();
        }

        void skipSpaces() {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
        }

        ActionSpec entry() {
            int start = i;
            while (i < text.length() && text.charAt(i) != '[' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String name = text.substring(start, i);
            if (name.isEmpty()) {
                throw problem(start, "expected a name before '['");
            }
            Map<String, String> params = new LinkedHashMap<>();
            int afterName = i;
            skipSpaces();
            if (i >= text.length() || text.charAt(i) != '[') {
                i = afterName;
                return new ActionSpec(name, params);
            }
            while (i < text.length() && text.charAt(i) == '[') {
                i++;
                group(params);
                int afterGroup = i;
                skipSpaces();
                if (i >= text.length() || text.charAt(i) != '[') {
                    i = afterGroup;
                    break;
                }
            }
            return new ActionSpec(name, params);
        }

        /** {@code key=value, key="value"]}; the opening bracket is consumed, the closing one is consumed here. */
        private void group(Map<String, String> params) {
            while (true) {
                skipSpaces();
                if (i >= text.length()) {
                    throw problem(i, "'[' is never closed");
                }
                if (text.charAt(i) == ']') {
                    i++;
                    return;
                }
                int keyStart = i;
                while (i < text.length() && isKeyChar(text.charAt(i))) {
                    i++;
                }
                if (i == keyStart || i >= text.length() || text.charAt(i) != '=') {
                    throw problem(keyStart, "expected key=value");
                }
                String key = text.substring(keyStart, i);
                i++;
                String value;
                char quote = i < text.length() ? text.charAt(i) : 0;
                if (quote == '"' || quote == '\'') {
                    int close = text.indexOf(quote, i + 1);
                    if (close < 0) {
                        throw problem(i, "a quote is never closed");
                    }
                    value = text.substring(i + 1, close);
                    i = close + 1;
                    skipSpaces();
                } else {
                    int start = i;
                    while (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != ']') {
                        i++;
                    }
                    value = text.substring(start, i);
                }
                params.put(key, value.strip());
                if (i < text.length() && text.charAt(i) == ',') {
                    i++;
                } else if (i < text.length() && text.charAt(i) != ']') {
                    throw problem(i, "expected ',' or ']' after the value of " + key);
                }
            }
        }

        private static boolean isKeyChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
        }

        private IllegalArgumentException problem(int at, String what) {
            int from = Math.max(0, at - 20);
            int to = Math.min(text.length(), at + 20);
            return new IllegalArgumentException(what + " at '" + text.substring(from, to).replace('\n', ' ') + "'");
        }
    }
}
