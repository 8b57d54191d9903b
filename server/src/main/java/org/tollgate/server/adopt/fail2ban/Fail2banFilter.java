package org.tollgate.server.adopt.fail2ban;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.server.adopt.fail2ban.Fail2banConfig.Located;
import org.tollgate.server.adopt.fail2ban.IniFile.IniValue;

/**
 * A user's fail2ban filter, read as fail2ban reads it and compiled once: {@code prefregex}, {@code failregex},
 * {@code ignoreregex} and {@code datepattern}, from a {@code filter.d} file (with its {@code .local} twin, its
 * {@code [INCLUDES]} such as common.conf, {@code %(key)s} and {@code <tag>} interpolation) or written inline in a
 * jail. {@link #find} looks for a failure in one line as fail2ban's {@code Filter.findFailure} does:
 *
 * <ol>
 * <li>the date ({@link DateFinder}) is taken out of the line;</li>
 * <li>with fewer ignoreregex than failregex less two, a line an ignoreregex matches is skipped at once;</li>
 * <li>the prefregex must match; its {@code <F-CONTENT>} is what the failregexes then see;</li>
 * <li>the first failregex that matches decides, unless an ignoreregex matches that text too;</li>
 * <li>the address is its {@code <HOST>} (or {@code <F-ID/>} when that is an address), parsed strictly as an IP
 *     literal; a match without one, or with {@code <F-NOFAIL>}, is no failure.</li>
 * </ol>
 *
 * Thread-safe: the compiled expressions are shared, each call uses matchers of its own.
 */
public final class Fail2banFilter {

    /** Where fail2ban keeps its filters; an inline filter's {@code [INCLUDES]} (common.conf) is read from there. */
    public static final Path FILTER_DIR = Path.of("/etc/fail2ban/filter.d");

    private final String name;
    private final String origin;
    private final FailRegex prefregex;
    private final FailRegex[] failregex;
    private final FailRegex[] ignoreregex;
    private final DateFinder dates;
    private final boolean ignoreFirst;

    /**
     * What a filter found in a line.
     *
     * @param ip        the address, canonical
     * @param user      the user it names ({@code <F-USER>}), or null
     * @param failregex the 1-based number of the failregex that matched
     */
    public record Match(String ip, String user, int failregex) {
    }

    private Fail2banFilter(String name, String origin, FailRegex prefregex, List<FailRegex> failregex,
                           List<FailRegex> ignoreregex, DateFinder dates) {
        this.name = name;
        this.origin = origin;
        this.prefregex = prefregex;
        this.failregex = failregex.toArray(FailRegex[]::new);
        this.ignoreregex = ignoreregex.toArray(FailRegex[]::new);
        this.dates = dates;
        this.ignoreFirst = this.ignoreregex.length > 0 && this.ignoreregex.length < this.failregex.length - 2;
    }

    /**
     * The name a filter named as fail2ban names one in a jail ({@code /etc/fail2ban/filter.d/asterisk-custom.conf},
     * optionally with parameters: {@code …/asterisk-custom.conf[logtype=journal]}) has: the file's, without
     * {@code .conf}.
     *
     * @throws IllegalArgumentException when the text is not one file name with optional parameters
     */
    public static String nameOf(String spec) {
        return stem(Path.of(ActionSpec.parse(spec).name()));
    }

    /**
     * Reads and compiles the filter {@code spec} names, as {@link #nameOf} reads it.
     *
     * @throws IllegalArgumentException when the text is not one file name with optional parameters
     * @throws ConfigException          naming the file and line of a problem
     * @throws IOException              when a file that exists cannot be read
     */
    public static Fail2banFilter read(String spec) throws IOException {
        ActionSpec parsed = ActionSpec.parse(spec);
        return read(Path.of(parsed.name()), parsed.params());
    }

    private static String stem(Path file) {
        String fileName = file.getFileName() == null ? "" : file.getFileName().toString();
        return fileName.endsWith(".conf") ? fileName.substring(0, fileName.length() - ".conf".length())
                : fileName.endsWith(".local") ? fileName.substring(0, fileName.length() - ".local".length()) : fileName;
    }

    /**
     * Reads and compiles the filter file {@code file} ({@code /etc/fail2ban/filter.d/asterisk-custom.conf}, or the
     * same without {@code .conf}); its name is the file's, without {@code .conf}.
     *
     * @param params the jail's parameters for it ({@code logtype}), as {@code filter = name[logtype=journal]} gives
     * @throws ConfigException naming the file and line of a problem, a regex Java or fail2ban would refuse included
     * @throws IOException     when a file that exists cannot be read
     */
    public static Fail2banFilter read(Path file, Map<String, String> params) throws IOException {
        String stem = stem(file);
        Path dir = file.toAbsolutePath().getParent();
        if (stem.isEmpty() || dir == null) {
            throw new ConfigException("", "not a filter file", file.toString(), 0);
        }
        if (!Files.isRegularFile(dir.resolve(stem + ".conf")) && !Files.isRegularFile(dir.resolve(stem + ".local"))) {
            throw new ConfigException("", "no such filter file", file.toString(), 0);
        }
        Fail2banConfig config = Fail2banConfig.read(dir, stem);
        return compile(stem, file.toString(), FilterOptions.combine(config, params));
    }

    /**
     * Compiles a filter written inline in a jail of tollgate.yaml: its options as if they were the
     * {@code [Definition]} of a filter file in {@code filterDir} that includes common.conf, so that
     * {@code %(__prefix_line)s} means what it means in fail2ban's own filters.
     *
     * @param name    the filter's name (the jail's)
     * @param options {@code prefregex}, {@code failregex}, {@code ignoreregex}, {@code datepattern}: the text (lines
     *                of a list joined by newlines) and where each line was written
     * @throws ConfigException naming the file and line of a problem
     */
    public static Fail2banFilter inline(String name, Map<String, Written> options, Path filterDir) throws IOException {
        Map<String, IniValue> definition = new LinkedHashMap<>();
        options.forEach((key, written) -> definition.put(key, new IniValue(written.text(), written.file(),
                written.lines().get(0), written.lines())));
        Map<String, Map<String, IniValue>> sections = new LinkedHashMap<>();
        Path common = filterDir.resolve("common.conf");
        if (Files.isRegularFile(common)) {
            sections.put("INCLUDES", Map.of("before", new IniValue("common.conf", "(inline)", 0)));
        }
        sections.put("Definition", definition);
        String file = options.values().iterator().next().file();
        IniFile ini = new IniFile(file, Map.of(), sections);
        Fail2banConfig config = Fail2banConfig.of(ini, filterDir.resolve(name + ".inline"));
        return compile(name, file, FilterOptions.combine(config, Map.of()));
    }

    /**
     * An inline option as written: its text and the line of each of its lines.
     *
     * @param text  the lines joined by newlines
     * @param file  the file, for messages
     * @param lines the line each line of {@code text} was written on
     */
    public record Written(String text, String file, List<Integer> lines) {
        public Written {
            Objects.requireNonNull(text, "text");
            lines = List.copyOf(lines);
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("an option needs the line it was written on");
            }
        }
    }

    private static Fail2banFilter compile(String name, String origin, FilterOptions options) {
        if (options.maxlines() > 1) {
            throw new ConfigException("maxlines", "a filter over " + options.maxlines() + " lines is not supported:"
                    + " Tollgate reads one line at a time", origin, 0);
        }
        if (options.failregex().isEmpty()) {
            throw new ConfigException("failregex", "the filter has no failregex", origin, 0);
        }
        FailRegex prefregex = options.prefregex() == null ? null : regex("prefregex", options.prefregex());
        List<FailRegex> failregex = new ArrayList<>();
        for (Located line : options.failregex()) {
            FailRegex regex = regex("failregex", line);
            if (!regex.hasFailureId() && (prefregex == null || !prefregex.hasFailureId())) {
                throw new ConfigException("failregex", "no <HOST>, <ADDR>, <IP4>, <IP6> or <F-ID/> in "
                        + quote(line.text()) + ": a failure must name the address to ban", line.file(), line.line());
            }
            failregex.add(regex);
        }
        List<FailRegex> ignoreregex = new ArrayList<>();
        for (Located line : options.ignoreregex()) {
            ignoreregex.add(regex("ignoreregex", line));
        }
        DateFinder dates;
        try {
            dates = DateFinder.of(options.datepattern() == null ? null : options.datepattern().text());
        } catch (IllegalArgumentException e) {
            Located where = options.datepattern();
            throw new ConfigException("datepattern", e.getMessage(), where.file(), where.line());
        }
        return new Fail2banFilter(name, origin, prefregex, failregex, ignoreregex, dates);
    }

    private static FailRegex regex(String key, Located line) {
        try {
            return FailRegex.compile(line.text());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "cannot use " + quote(line.text()) + ": " + e.getMessage(), line.file(),
                    line.line());
        }
    }

    private static String quote(String text) {
        return "'" + (text.length() > 200 ? text.substring(0, 200) + "…" : text) + "'";
    }

    /** The name events give it: {@code event.action: custom:<name>}. */
    public String name() {
        return name;
    }

    /** Where it was read from: the file, or tollgate.yaml for an inline filter. */
    public String origin() {
        return origin;
    }

    /** The failure {@code line} holds by this filter, or null. */
    public Match find(String line) {
        String text = dates.withoutDate(line);
        if (ignoreFirst && ignored(text)) {
            return null;
        }
        String prefIp = null;
        String prefId = null;
        String prefUser = null;
        if (prefregex != null) {
            Matcher pre = prefregex.search(text);
            if (pre == null) {
                return null;
            }
            prefIp = prefregex.address(pre);
            prefId = prefregex.failureId(pre);
            prefUser = prefregex.user(pre);
            String content = prefregex.content(pre);
            if (content != null) {
                text = content;
            }
        }
        for (int i = 0; i < failregex.length; i++) {
            FailRegex regex = failregex[i];
            Matcher match = regex.search(text);
            if (match == null) {
                continue;
            }
            if (ignoreregex.length > 0 && ignored(text) || regex.noFailure(match)) {
                return null;
            }
            String ip = regex.address(match);
            if (ip == null) {
                ip = prefIp;
            }
            if (ip == null) {
                ip = regex.failureId(match) != null ? regex.failureId(match) : prefId;
            }
            String canonical = ip == null ? null : IpLiteral.canonical(ip);
            if (canonical == null) {
                return null;
            }
            String user = regex.user(match);
            return new Match(canonical, user != null ? user : prefUser, i + 1);
        }
        return null;
    }

    private boolean ignored(String text) {
        for (FailRegex regex : ignoreregex) {
            if (regex.search(text) != null) {
                return true;
            }
        }
        return false;
    }
}
