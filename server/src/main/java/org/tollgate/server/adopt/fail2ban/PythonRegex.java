package org.tollgate.server.adopt.fail2ban;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression written for Python's {@code re} (as fail2ban's filters are), rewritten for
 * {@link java.util.regex}: the two agree on almost everything a filter uses; where they differ this class rewrites
 * the Python form, or refuses it with the reason when Java has no equivalent.
 *
 * <ul>
 * <li>{@code (?P<name>…)} and {@code (?P=name)}: Java's group names are letters and digits only, so every group gets
 *     a Java name ({@code g1}, {@code g2}, …) and {@link #groups()} maps the Python names to them;</li>
 * <li>{@code \Z} (the very end) is Java's {@code \z}; {@code {,n}} is {@code {0,n}}; a {@code {} that starts no
 *     quantifier, and a lone {@code }}, are literal in Python and escaped here;</li>
 * <li>inside {@code […]}, {@code [} and {@code &&} are literal in Python (Java would nest or intersect sets), and so
 *     is a {@code ]} right after the opening {@code [} or {@code [^};</li>
 * <li>{@code (?#…)} comments are dropped; the flags {@code a} and {@code L} (ASCII, locale) are dropped, Java's
 *     classes being ASCII already;</li>
 * <li>refused: conditional groups {@code (?(name)yes|no)}, {@code \N{…}} names, a group name used twice.</li>
 * </ul>
 *
 * @param java   the rewritten expression
 * @param groups the Python group names, in order of their opening parenthesis, to their Java names
 */
record PythonRegex(String java, Map<String, String> groups) {

    /**
     * Rewrites {@code python}.
     *
     * @throws IllegalArgumentException saying what Java cannot do, or where the expression is malformed
     */
    static PythonRegex of(String python) {
        StringBuilder out = new StringBuilder(python.length() + 16);
        Map<String, String> groups = new LinkedHashMap<>();
        int i = 0;
        int n = python.length();
        boolean inClass = false;
        int classContentStart = -1;
        while (i < n) {
            char c = python.charAt(i);
            if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("a lone backslash at the end of the expression");
                }
                char d = python.charAt(i + 1);
                if (d == 'Z' && !inClass) {
                    out.append("\\z");
                } else if (d == 'N') {
                    throw new IllegalArgumentException("\\N{...} character names are not supported; write the character");
                } else {
                    out.append(c).append(d);
                }
                i += 2;
                continue;
            }
            if (inClass) {
                if (c == ']' && i != classContentStart) {
                    inClass = false;
                    out.append(']');
                } else if (c == ']' || c == '[') {
                    out.append('\\').append(c);
                } else if (c == '&' && i + 1 < n && python.charAt(i + 1) == '&') {
                    out.append("&\\&");
                    i++;
                } else {
                    out.append(c);
                }
                i++;
                continue;
            }
            switch (c) {
                case '[' -> {
                    inClass = true;
                    out.append('[');
                    i++;
                    if (i < n && python.charAt(i) == '^') {
                        out.append('^');
                        i++;
                    }
                    classContentStart = i;
                }
                case '(' -> i = group(python, i, out, groups);
                case '{' -> i = brace(python, i, out);
                case '}' -> {
                    out.append("\\}");
                    i++;
                }
                default -> {
                    out.append(c);
                    i++;
                }
            }
        }
        if (inClass) {
            throw new IllegalArgumentException("a character set '[' is never closed with ']'");
        }
        return new PythonRegex(out.toString(), Collections.unmodifiableMap(groups));
    }

    /** Compiles the rewritten expression; Java's own complaint is the message of a failure. */
    Pattern compile() {
        try {
            return Pattern.compile(java);
        } catch (PatternSyntaxException e) {
            // The index is into the rewritten expression, tags expanded: no help to whoever wrote the filter.
            throw new IllegalArgumentException(e.getDescription());
        }
    }

    /** The Java name of Python group {@code name}, or null when the expression has no such group. */
    String group(String name) {
        return groups.get(name);
    }

    /** Rewrites the group construct at {@code start} ({@code (}); returns where the rest starts. */
    private static int group(String python, int start, StringBuilder out, Map<String, String> groups) {
        if (!python.startsWith("(?", start)) {
            out.append('(');
            return start + 1;
        }
        if (python.startsWith("(?P<", start)) {
            int close = python.indexOf('>', start + 4);
            if (close < 0) {
                throw new IllegalArgumentException("a group name '(?P<' is never closed with '>'");
            }
            String name = python.substring(start + 4, close);
            if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
                throw new IllegalArgumentException("bad group name " + quote(name));
            }
            if (groups.containsKey(name)) {
                throw new IllegalArgumentException("the group name " + quote(name) + " is used twice");
            }
            String java = "g" + (groups.size() + 1);
            groups.put(name, java);
            out.append("(?<").append(java).append('>');
            return close + 1;
        }
        if (python.startsWith("(?P=", start)) {
            int close = python.indexOf(')', start + 4);
            String name = close < 0 ? "" : python.substring(start + 4, close);
            String java = groups.get(name);
            if (java == null) {
                throw new IllegalArgumentException("(?P=" + name + ") refers to no earlier group of that name");
            }
            out.append("\\k<").append(java).append('>');
            return close + 1;
        }
        if (python.startsWith("(?#", start)) {
            int close = python.indexOf(')', start);
            if (close < 0) {
                throw new IllegalArgumentException("a comment '(?#' is never closed with ')'");
            }
            return close + 1;
        }
        if (python.startsWith("(?(", start)) {
            throw new IllegalArgumentException("conditional groups (?(name)yes|no) are not supported; write the"
                    + " alternatives out");
        }
        int i = start + 2;
        int flagsEnd = i;
        while (flagsEnd < python.length() && "aiLmsux-".indexOf(python.charAt(flagsEnd)) >= 0) {
            flagsEnd++;
        }
        if (flagsEnd > i && flagsEnd < python.length() && (python.charAt(flagsEnd) == ')'
                || python.charAt(flagsEnd) == ':')) {
            String flags = python.substring(i, flagsEnd).replace("a", "").replace("L", "");
            boolean scoped = python.charAt(flagsEnd) == ':';
            if (flags.isEmpty() || flags.equals("-")) {
                if (scoped) {
                    out.append("(?:");
                }
            } else {
                out.append("(?").append(flags).append(python.charAt(flagsEnd));
            }
            return flagsEnd + 1;
        }
        out.append("(?");
        return start + 2;
    }

    /** A {@code {m,n}} quantifier as Java writes it, or a literal {@code {}. */
    private static int brace(String python, int start, StringBuilder out) {
        int i = start + 1;
        int digitsFrom = i;
        while (i < python.length() && Character.isDigit(python.charAt(i))) {
            i++;
        }
        String min = python.substring(digitsFrom, i);
        String max = null;
        if (i < python.length() && python.charAt(i) == ',') {
            int maxFrom = ++i;
            while (i < python.length() && Character.isDigit(python.charAt(i))) {
                i++;
            }
            max = python.substring(maxFrom, i);
        }
        boolean quantifier = i < python.length() && python.charAt(i) == '}' && (!min.isEmpty()
                || max != null && !max.isEmpty());
        if (!quantifier) {
            out.append("\\{");
            return start + 1;
        }
        out.append('{').append(min.isEmpty() ? "0" : min);
        if (max != null) {
            out.append(',').append(max);
        }
        out.append('}');
        return i + 1;
    }

    private static String quote(String text) {
        return "'" + text + "'";
    }
}
