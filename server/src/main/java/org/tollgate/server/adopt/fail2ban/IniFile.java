package org.tollgate.server.adopt.fail2ban;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.config.Echo;

/**
 * One fail2ban configuration file, read the way fail2ban's reader (Python's {@code ConfigParser} with
 * {@code inline_comment_prefixes=";"}, strict) reads it: raw values, nothing interpolated yet.
 *
 * <ul>
 * <li>Lines whose first non-blank character is {@code #} or {@code ;} are comments; {@code ;} after white space ends
 *     a value ({@code bantime = 3600 ; 1hour}); {@code #} inside a value is text.</li>
 * <li>{@code key = value} or {@code key: value}; the key is lower-cased, as ConfigParser's optionxform does.</li>
 * <li>A line indented deeper than its key continues the value (joined with a newline); a comment line between
 *     continuation lines does not end the value, a blank line is kept inside it; trailing blank lines are dropped.</li>
 * <li>{@code [DEFAULT]} is the defaults section. A section or a key given twice in one file, a key before any
 *     section and a line that is neither are errors, as they are for fail2ban (which then refuses to start).</li>
 * </ul>
 *
 * @param path     the file as named in messages
 * @param defaults the {@code [DEFAULT]} options
 * @param sections every other section by name, in file order
 */
record IniFile(String path, Map<String, IniValue> defaults, Map<String, Map<String, IniValue>> sections) {

    static final String DEFAULT = "DEFAULT";

    /**
     * A raw value and where its key was written.
     *
     * @param lines the line of each line of {@code text}, for messages about one of them (a failregex)
     */
    record IniValue(String text, String file, int line, List<Integer> lines) {

        IniValue {
            lines = List.copyOf(lines);
        }

        /** A value set in code, of one line. */
        IniValue(String text, String file, int line) {
            this(text, file, line, List.of(line));
        }

        /** The line {@code index} (0-based) of the text was written on; the key's line when not known. */
        int lineOf(int index) {
            return index < lines.size() ? lines.get(index) : line;
        }
    }

    static IniFile parse(String text, String path) {
        Map<String, Builder> defaults = new LinkedHashMap<>();
        Map<String, Map<String, Builder>> sections = new LinkedHashMap<>();
        Map<String, Builder> current = null;
        String sectionName = null;
        Set<String> seenKeys = new HashSet<>();
        Builder value = null;
        int indentOfKey = Integer.MAX_VALUE;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            int lineNumber = n + 1;
            String line = lines[n];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (n == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            int commentStart = commentStart(line);
            String content = (commentStart < 0 ? line : line.substring(0, commentStart)).strip();
            if (content.isEmpty()) {
                // A blank line belongs to the value (a comment line does not, and neither ends it).
                if (commentStart < 0 && value != null) {
                    value.add("", lineNumber);
                }
                continue;
            }
            int indent = 0;
            while (indent < line.length() && Character.isWhitespace(line.charAt(indent))) {
                indent++;
            }
            if (value != null && indent > indentOfKey) {
                value.add(content, lineNumber);
                continue;
            }
            indentOfKey = indent;
            value = null;
            int close = content.lastIndexOf(']');
            if (content.startsWith("[") && close > 1) {
                sectionName = content.substring(1, close);
                if (sectionName.equals(DEFAULT)) {
                    current = defaults;
                } else if (sections.containsKey(sectionName)) {
                    throw new ConfigException("", "section [" + sectionName + "] appears twice in this file", path,
                            lineNumber);
                } else {
                    current = new LinkedHashMap<>();
                    sections.put(sectionName, current);
                }
                continue;
            }
            if (current == null) {
                throw new ConfigException("", "a key before any [section]: " + Echo.quote(content), path, lineNumber);
            }
            int delimiter = delimiter(content);
            if (delimiter <= 0) {
                throw new ConfigException("[" + sectionName + "]", "expected 'key = value', a [section] or a line "
                        + "indented as part of the value above, was " + Echo.quote(content), path, lineNumber);
            }
            String key = content.substring(0, delimiter).strip().toLowerCase(Locale.ROOT);
            if (!seenKeys.add(sectionName + "\u0000" + key)) {
                throw new ConfigException("[" + sectionName + "] " + key, "the key appears twice in this section of "
                        + "this file", path, lineNumber);
            }
            value = new Builder(lineNumber);
            value.add(content.substring(delimiter + 1).strip(), lineNumber);
            current.put(key, value);
        }
        Map<String, Map<String, IniValue>> frozen = new LinkedHashMap<>();
        sections.forEach((name, options) -> frozen.put(name, freeze(options, path)));
        return new IniFile(path, freeze(defaults, path), Collections.unmodifiableMap(frozen));
    }

    private static Map<String, IniValue> freeze(Map<String, Builder> options, String path) {
        Map<String, IniValue> values = new LinkedHashMap<>();
        options.forEach((key, builder) -> values.put(key, new IniValue(builder.text(), path, builder.line,
                builder.numbers)));
        return Collections.unmodifiableMap(values);
    }

    /**
     * Where a comment starts: at 0 for a line whose first non-blank character is {@code #} or {@code ;}, at a
     * {@code ;} that follows white space, or -1.
     */
    private static int commentStart(String line) {
        String stripped = line.strip();
        if (stripped.startsWith("#") || stripped.startsWith(";")) {
            return 0;
        }
        for (int i = line.indexOf(';'); i >= 0; i = line.indexOf(';', i + 1)) {
            if (i == 0 || Character.isWhitespace(line.charAt(i - 1))) {
                return i;
            }
        }
        return -1;
    }

    /** The first {@code =} or {@code :}. */
    private static int delimiter(String content) {
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    private static final class Builder {
        final int line;
        final List<String> lines = new ArrayList<>();
        final List<Integer> numbers = new ArrayList<>();

        Builder(int line) {
            this.line = line;
        }

        void add(String text, int number) {
            lines.add(text);
            numbers.add(number);
        }

        String text() {
            return String.join("\n", lines).stripTrailing();
        }
    }
}
