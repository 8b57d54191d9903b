package org.tollgate.server.adopt.fail2ban;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the date is in a line, found as fail2ban's date detector finds it ({@code datedetector.py},
 * {@code datetemplate.py}, {@code strptime.py}) for a filter's {@code datepattern}: fail2ban takes that text out of the
 * line before its regexes run ({@code [2026-01-18 17:39:50] NOTICE…} becomes {@code [] NOTICE…}, which is why
 * common.conf's {@code __prefix_line} starts with an optional {@code []}), and so does Tollgate.
 *
 * <ul>
 * <li>no {@code datepattern}: fail2ban's default templates, those anchored at the line's start first;</li>
 * <li>{@code {^LN-BEG}}: the default templates anchored at the line's start (at most two non-word characters
 *     before the date);</li>
 * <li>{@code {NONE}}: no date in the line;</li>
 * <li>a pattern of strptime fields ({@code %Y-%m-%d %H:%M:%S}, fail2ban's {@code %ExY}, {@code %k}, …), optionally
 *     prefixed by {@code {^LN-BEG}}, {@code ^} or {@code {UNB}}, or {@code EPOCH}/{@code LEPOCH}/{@code TAI64N}; one
 *     per line, tried in order.</li>
 * </ul>
 *
 * The time of the line is the one Tollgate's normalizer read from it; the date found here is only taken out.
 * Thread-safe: the template that matched last is tried first, as fail2ban does (a race only costs a retry).
 */
final class DateFinder {

    /** fail2ban's default date templates ({@code DateDetectorCache.DEFAULT_TEMPLATES}), in its order. */
    private static final List<String> DEFAULT_TEMPLATES = List.of(
            "%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\\s*%z)?",
            "(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
            "(?:%a )?%b %d %ExY %k:%M:%S(?:\\.%f)?",
            "%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S",
            "%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\\.%f)?(?: %z)?",
            "%m/%d/%ExY:%H:%M:%S",
            "%m-%d-%ExY %k:%M:%S(?:\\.%f)?",
            "EPOCH",
            "{^LN-BEG}%H:%M:%S",
            "^<%m/%d/%Exy@%H:%M:%S>",
            "%Exy%Exm%Exd  ?%H:%M:%S",
            "%b %d, %ExY %I:%M:%S %p",
            "^%b-%d-%Exy %k:%M:%S",
            "%ExY%Exm%Exd(?:-|T|  ?)%ExH:?%ExM:?%ExS(?:[.,]%f)?(?:\\s*%z)?",
            "(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
            "(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
            "TAI64N");

    private static final String LINE_BEGIN = "{^LN-BEG}";
    private static final String UNBOUND = "{UNB}";
    private static final Pattern DIRECTIVE = Pattern.compile(
            "%(%|Ex[YymdHMSkldzZ]|[aAbBcdfHIjklmMpSUwWxXyYzZ])");
    private static final Pattern FIELD_GROUP = Pattern.compile("\\(\\?P<\\w+>");
    private static final Pattern ALPHA = Pattern.compile("(?<!%)%[aAbBpc]");
    private static final Pattern GROUPED = Pattern.compile("(?<!\\(\\?)(?<!\\\\)\\((?!\\?)");
    private static final Pattern WHOLE = Pattern.compile("^((?:\\(\\?\\w+\\))?\\^?(?:\\(\\?\\w+\\))?)(.*?)(\\$?)$",
            Pattern.DOTALL);
    private static final Pattern GLOBAL_FLAGS = Pattern.compile("((?:^|(?<!\\\\))\\(\\?[a-z]+\\))");
    private static final Pattern NO_WORD_BOUND_BEGIN = Pattern.compile("^\\(*(?:\\(\\?\\w+\\))?(?:\\^|\\(*\\*\\*|\\((?:\\?:)?\\^)");
    private static final Pattern NO_WORD_BOUND_END = Pattern.compile("(?<!\\\\)(?:\\$\\)?|\\\\b|\\\\s|\\*\\*\\)*)$");
    private static final Pattern LINE_BOUND_BEGIN = Pattern.compile("^(?:\\(\\?\\w+\\))?(?:\\^|\\((?:\\?:)?\\^(?!\\|))");
    private static final Pattern STARS = Pattern.compile("^\\(*(?:\\(\\?\\w+\\))?\\(*\\*\\*|(?<!\\\\)\\*\\*\\)*$");
    private static final String EPOCH = "\\d{10,11}\\b(?:\\.\\d{3,6})?";
    private static final String LONG_EPOCH = "\\d{10,11}(?:\\d{3}(?:\\.\\d{1,6}|\\d{3})?)?";

    /** fail2ban's regexes for the strptime fields ({@code strptime.py} over Python's {@code _strptime.TimeRE}). */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("a", "(?P<a>mon|tue|wed|thu|fri|sat|sun)"),
            Map.entry("A", "(?P<A>wednesday|thursday|saturday|tuesday|sunday|monday|friday)"),
            Map.entry("b", "(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"),
            Map.entry("B", "(?P<B>september|february|november|december|january|october|august|april|march|june"
                    + "|july|may)"),
            Map.entry("d", "(?P<d>[1-2]\\d|[0 ]?[1-9]|3[0-1])"),
            Map.entry("f", "(?P<f>[0-9]{1,6})"),
            Map.entry("H", "(?P<H>[0-1]?\\d|2[0-3])"),
            Map.entry("I", "(?P<I>1[0-2]|0[1-9]|[1-9])"),
            Map.entry("j", "(?P<j>36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])"),
            Map.entry("k", " ?(?P<H>[0-2]?\\d)"),
            Map.entry("l", " ?(?P<I>1?\\d)"),
            Map.entry("m", "(?P<m>0?[1-9]|1[0-2])"),
            Map.entry("M", "(?P<M>[0-5]?\\d)"),
            Map.entry("p", "(?P<p>am|pm)"),
            Map.entry("S", "(?P<S>[0-5]?\\d|6[0-1])"),
            Map.entry("U", "(?P<U>5[0-3]|[0-4]\\d|\\d)"),
            Map.entry("W", "(?P<W>5[0-3]|[0-4]\\d|\\d)"),
            Map.entry("w", "(?P<w>[0-6])"),
            Map.entry("y", "(?P<y>\\d\\d)"),
            Map.entry("Y", "(?P<Y>\\d{4})"),
            Map.entry("z", "(?P<z>Z|UTC|GMT|[+-][01]\\d(?::?\\d{2})?)"),
            Map.entry("Z", "(?P<Z>Z|[A-Z]{3,5})"),
            Map.entry("ExZ", "(?P<Z>[A-Z](?:[A-Z]{2,4})?)"),
            Map.entry("Exz", "(?P<z>(?:[A-Z](?:[A-Z]{2,4})?)?[+-][01]\\d(?::?\\d{2})?|[A-Z](?:[A-Z]{2,4})?)"),
            Map.entry("Exd", "(?P<d>[1-2]\\d|0[1-9]|3[0-1])"),
            Map.entry("Exm", "(?P<m>0[1-9]|1[0-2])"),
            Map.entry("ExH", "(?P<H>[0-1]\\d|2[0-3])"),
            Map.entry("Exk", " ?(?P<H>[0-1]?\\d|2[0-3])"),
            Map.entry("Exl", " ?(?P<I>1[0-2]|\\d)"),
            Map.entry("ExM", "(?P<M>[0-5]\\d)"),
            Map.entry("ExS", "(?P<S>[0-5]\\d|6[0-1])"),
            // fail2ban narrows %ExY to this century's years around now; any year of this century here.
            Map.entry("ExY", "(?P<Y>20\\d\\d)"),
            Map.entry("Exy", "(?P<y>\\d{2})"),
            Map.entry("%", "%"));

    private static final DateFinder DEFAULTS = new DateFinder(defaults(false), true);
    private static final DateFinder LINE_BEGIN_DEFAULTS = new DateFinder(defaults(true), true);
    private static final DateFinder NONE = new DateFinder(List.of(), false);

    private final Pattern[] templates;
    /** Anchored at the line's start: tried there alone ({@code lookingAt}), not at every position of the line. */
    private final boolean[] anchored;
    private final ThreadLocal<Matcher[]> matchers;
    /** The first template is fail2ban's first default anchored at the line's start: see {@link #asteriskStamp}. */
    private final boolean defaults;
    private volatile int lastHit;

    private DateFinder(List<Pattern> templates, boolean defaults) {
        this.defaults = defaults;
        this.templates = templates.toArray(Pattern[]::new);
        this.anchored = new boolean[this.templates.length];
        for (int i = 0; i < anchored.length; i++) {
            anchored[i] = Anchors.atStart(this.templates[i].pattern());
        }
        this.matchers = ThreadLocal.withInitial(() -> new Matcher[this.templates.length]);
    }

    /**
     * The finder for a filter's {@code datepattern} (null or blank for none).
     *
     * @throws IllegalArgumentException when a pattern cannot be used, saying why
     */
    static DateFinder of(String datepattern) {
        if (datepattern == null || datepattern.isBlank()) {
            return DEFAULTS;
        }
        List<Pattern> templates = new ArrayList<>();
        for (String line : datepattern.split("\n")) {
            String pattern = line.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            String key = pattern.indexOf('%') < 0 ? pattern.toUpperCase(Locale.ROOT) : pattern;
            switch (key) {
                case LINE_BEGIN -> {
                    if (datepattern.strip().equals(pattern)) {
                        return LINE_BEGIN_DEFAULTS;
                    }
                    templates.addAll(defaults(true));
                }
                case "{DEFAULT}" -> templates.addAll(defaults(false));
                case "{NONE}" -> {
                    if (datepattern.strip().equals(pattern)) {
                        return NONE;
                    }
                }
                default -> templates.add(compile(template(pattern)));
            }
        }
        return new DateFinder(templates, false);
    }

    /** The same templates without the shortcut for Asterisk's stamps (to check the shortcut against). */
    DateFinder withoutShortcut() {
        return new DateFinder(List.of(templates), false);
    }

    /**
     * Where the date is in {@code line}: {@code start << 32 | end} of the date text, or -1 when there is none.
     */
    long find(String line) {
        if (defaults) {
            long stamp = asteriskStamp(line);
            if (stamp >= 0) {
                lastHit = 0;
                return stamp;
            }
        }
        int first = lastHit;
        long found = match(first, line);
        if (found >= 0) {
            return found;
        }
        for (int i = 0; i < templates.length; i++) {
            if (i != first) {
                found = match(i, line);
                if (found >= 0) {
                    lastHit = i;
                    return found;
                }
            }
        }
        return -1;
    }

    /**
     * Where fail2ban's first default template, anchored at the line's start, finds the date of a line that starts
     * with Asterisk's own stamp in its one common form ({@code [2026-01-18 17:39:50]}, {@code [2026-01-18
     * 17:39:50.123]}: dateformat {@code %F %T} with up to six digits after the second), found by hand: the template
     * is the costliest part of running a filter, and nearly every line of an Asterisk log has this stamp. -1 when the
     * line does not start exactly so, and the templates decide. What no other template could match either.
     */
    static long asteriskStamp(String line) {
        int n = line.length();
        int i = 0;
        while (i < 2 && i < n && !isWord(line.charAt(i))) {
            i++;
        }
        int start = i;
        if (n - start < 20 || line.charAt(i) != '2' || line.charAt(i + 1) != '0' || !digits(line, i + 2, 2)) {
            return -1;
        }
        char separator = line.charAt(i + 4);
        if (separator != '-' && separator != '/' && separator != '.' || line.charAt(i + 7) != separator
                || !twoDigits(line, i + 5, 1, 12) || !twoDigits(line, i + 8, 1, 31) || line.charAt(i + 10) != ' '
                || !twoDigits(line, i + 11, 0, 23) || line.charAt(i + 13) != ':' || !twoDigits(line, i + 14, 0, 59)
                || line.charAt(i + 16) != ':' || !twoDigits(line, i + 17, 0, 59)) {
            return -1;
        }
        int end = i + 19;
        if (end < n && (line.charAt(end) == '.' || line.charAt(end) == ',')) {
            int fraction = end + 1;
            while (fraction < n && fraction - end <= 7 && line.charAt(fraction) >= '0' && line.charAt(fraction) <= '9') {
                fraction++;
            }
            int count = fraction - end - 1;
            if (count < 1 || count > 6) {
                return -1; // the template's own backtracking decides these
            }
            end = fraction;
        }
        return end < n && line.charAt(end) == ']' ? ((long) start << 32) | end : -1;
    }

    private static boolean isWord(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
    }

    private static boolean digits(String line, int from, int count) {
        for (int i = from; i < from + count; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean twoDigits(String line, int from, int min, int max) {
        if (!digits(line, from, 2)) {
            return false;
        }
        int value = (line.charAt(from) - '0') * 10 + line.charAt(from + 1) - '0';
        return value >= min && value <= max;
    }

    /** {@code line} without the date text, as fail2ban's regexes see it. */
    String withoutDate(String line) {
        long span = find(line);
        if (span < 0) {
            return line;
        }
        int start = (int) (span >>> 32);
        int end = (int) span;
        return new StringBuilder(line.length() - (end - start)).append(line, 0, start).append(line, end, line.length())
                .toString();
    }

    private long match(int index, String line) {
        if (index >= templates.length) {
            return -1;
        }
        Matcher[] reused = matchers.get();
        Matcher m = reused[index];
        if (m == null) {
            m = templates[index].matcher(line);
            reused[index] = m;
        } else {
            m.reset(line);
        }
        boolean found = anchored[index] ? m.lookingAt() : m.find();
        long span = found ? ((long) m.start(1) << 32) | m.end(1) : -1;
        m.reset(""); // holds no line after the call
        return span;
    }

    private static List<Pattern> defaults(boolean lineBeginOnly) {
        List<Pattern> anchored = new ArrayList<>();
        List<Pattern> rest = new ArrayList<>();
        for (String template : DEFAULT_TEMPLATES) {
            boolean alreadyAnchored = template.startsWith(LINE_BEGIN) || template.startsWith("^");
            if (!alreadyAnchored) {
                anchored.add(compile(template(LINE_BEGIN + template)));
            }
            String regex = template(template);
            if (!lineBeginOnly || alreadyAnchored || LINE_BOUND_BEGIN.matcher(regex).find()) {
                rest.add(compile(regex));
            }
        }
        List<Pattern> all = new ArrayList<>(anchored);
        all.addAll(rest);
        return all;
    }

    private static Pattern compile(String pythonRegex) {
        try {
            return PythonRegex.of(pythonRegex).compile();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("datepattern: " + e.getMessage());
        }
    }

    /** A template's regex (group 1 the date), from a pattern as {@code DatePatternRegex.setRegex} builds it. */
    static String template(String pattern) {
        boolean wordBegin = true;
        boolean wordEnd = true;
        boolean start = false;
        if (pattern.startsWith(UNBOUND)) {
            pattern = pattern.substring(UNBOUND.length());
            wordBegin = false;
            wordEnd = false;
        }
        if (wordBegin && pattern.startsWith(LINE_BEGIN)) {
            pattern = pattern.substring(LINE_BEGIN.length());
            start = true;
        }
        String upper = pattern.toUpperCase(Locale.ROOT);
        if (upper.equals("EPOCH") || upper.equals("LEPOCH") || upper.equals("^EPOCH") || upper.equals("^LEPOCH")) {
            String epoch = upper.contains("LEPOCH") ? LONG_EPOCH : EPOCH;
            return start || upper.startsWith("^")
                    ? bound("(" + epoch + ")", true, true, true)
                    : bound("((?:^|(?<=^\\[)|(?<=\\baudit\\())" + epoch + ")", false, true, false);
        }
        if (upper.equals("TAI64N") || upper.equals("^TAI64N")) {
            return bound("(@[0-9a-f]{24})", start || upper.startsWith("^"), true, start || upper.startsWith("^"));
        }
        if (pattern.indexOf('{') >= 0 && Pattern.compile("(?<!\\\\)\\{L?EPOCH\\}", Pattern.CASE_INSENSITIVE)
                .matcher(pattern).find()) {
            String regex = pattern.replaceAll("(?i)(?<!\\\\)\\{L?EPOCH\\}", "(" + Matcher.quoteReplacement(EPOCH) + ")");
            return bound(GROUPED.matcher(pattern).find() ? regex : "(" + regex + ")", wordBegin, wordEnd, start);
        }
        if (pattern.matches("(?s).*(?<!\\\\)\\{DATE\\}.*")) {
            throw new IllegalArgumentException("datepattern " + pattern + ": {DATE} inside a pattern is not supported;"
                    + " write the date's fields out or use {^LN-BEG}");
        }
        // Only group 1 (the date) is ever read: unless the pattern numbers groups of its own, the fields' groups
        // need not capture, which keeps matching cheap.
        boolean ownGroups = GROUPED.matcher(pattern).find();
        Matcher fields = DIRECTIVE.matcher(pattern);
        StringBuilder regex = new StringBuilder();
        while (fields.find()) {
            String field = fields.group(1);
            String replacement = FIELDS.get(field);
            if (replacement == null) {
                throw new IllegalArgumentException("datepattern " + pattern + ": %" + field + " depends on the"
                        + " locale; write the fields it stands for out");
            }
            if (!ownGroups) {
                replacement = FIELD_GROUP.matcher(replacement).replaceFirst("(?:");
            }
            fields.appendReplacement(regex, Matcher.quoteReplacement(replacement));
        }
        fields.appendTail(regex);
        String text = regex.toString();
        if (ALPHA.matcher(pattern).find()) {
            text = "(?iu)" + text;
        }
        return bound(text, wordBegin, wordEnd, start);
    }

    /** {@code DateTemplate.setRegex}: the word or line boundaries, and group 1 around the date. */
    private static String bound(String regex, boolean wordBegin, boolean wordEnd, boolean start) {
        regex = regex.strip();
        String flags = null;
        Matcher global = GLOBAL_FLAGS.matcher(regex);
        if (global.find()) {
            flags = global.group(1);
            regex = regex.substring(0, global.start()) + regex.substring(global.end());
        }
        boolean boundBegin = wordBegin && !NO_WORD_BOUND_BEGIN.matcher(regex).find();
        boolean boundEnd = wordEnd && !NO_WORD_BOUND_END.matcher(regex).find();
        if (!GROUPED.matcher(regex).find()) {
            regex = WHOLE.matcher(regex).replaceFirst("$1($2)$3");
        }
        if (boundBegin) {
            regex = (start ? "^(?:\\W{0,2})?" : "(?=^|\\b|\\W)") + regex;
        }
        if (boundEnd) {
            regex += "(?=\\b|\\W|$)";
        }
        Matcher stars = STARS.matcher(regex);
        StringBuilder out = new StringBuilder();
        while (stars.find()) {
            stars.appendReplacement(out, Matcher.quoteReplacement(stars.group().replace("**", "")));
        }
        stars.appendTail(out);
        return flags == null ? out.toString() : flags + out;
    }
}
