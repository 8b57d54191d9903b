package org.tollgate.server.adopt.fail2ban;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.config.Echo;
import org.tollgate.server.adopt.fail2ban.IniFile.IniValue;

/**
 * A fail2ban configuration ({@code jail}, a filter or an action) read as fail2ban's client reads it
 * ({@code configreader.py}, {@code configparserinc.py}):
 * <ol>
 * <li>the files {@code NAME.conf}, {@code NAME.d/*.conf}, {@code NAME.local}, {@code NAME.d/*.local}, each glob
 *     sorted, those that exist;</li>
 * <li>each file followed by its {@code .local} twin and preceded/followed by the files its {@code [INCLUDES]}
 *     {@code before}/{@code after} name (relative to its directory, recursively, loops cut);</li>
 * <li>merged in that order: {@code [DEFAULT]} keys and section keys later in the list win; a key a later file
 *     overrides keeps its earlier value in {@code KNOWN/<section>} for {@code %(known/key)s}.</li>
 * </ol>
 * Values are interpolated on {@link #get}: {@code %(key)s} from the section or {@code [DEFAULT]},
 * {@code %(section/key)s}, {@code %(default/key)s}, {@code %(known/key)s} and {@code %(__name__)s}, {@code %%} for a
 * per cent sign, at most 10 levels deep. Nothing in the files is ever run.
 */
final class Fail2banConfig {

    static final String INCLUDES = "INCLUDES";
    private static final String DEFAULT_SECTION = "DEFAULT";
    private static final String KNOWN = "KNOWN/";
    private static final int MAX_DEPTH = 10;
    private static final Pattern REFERENCE = Pattern.compile("%\\(([^)]+)\\)s");
    private static final Pattern SECTION_REFERENCE = Pattern.compile("^([\\w\\-]+)/([^\\s>]+)$");
    private static final Pattern CONDITIONAL = Pattern.compile("^(\\w+)(\\?.+)$");

    private final Path base;
    private final Map<String, IniValue> defaults = new LinkedHashMap<>();
    private final Map<String, Map<String, IniValue>> sections = new LinkedHashMap<>();
    private final List<String> files = new ArrayList<>();

    private Fail2banConfig(Path base) {
        this.base = base;
    }

    /**
     * Reads {@code name} ({@code jail}, {@code filter.d/asterisk}, {@code action.d/iptables-allports}) under
     * {@code base}; a configuration without any file is empty.
     *
     * @throws ConfigException naming the file and line of a malformed file
     * @throws IOException     when a file that exists cannot be read
     */
    static Fail2banConfig read(Path base, String name) throws IOException {
        Fail2banConfig config = new Fail2banConfig(base);
        for (IniFile file : ConfigFiles.of(base, name)) {
            config.merge(file);
        }
        return config;
    }

    /**
     * A configuration of one file already read ({@code file}, as if it were at {@code as}: a jail's inline filter),
     * with the files its {@code [INCLUDES]} name read from disk around it.
     */
    static Fail2banConfig of(IniFile file, Path as) throws IOException {
        Fail2banConfig config = new Fail2banConfig(as.getParent());
        for (IniFile included : ConfigFiles.around(file, as)) {
            config.merge(included);
        }
        return config;
    }

    /** A configuration of no file. */
    static Fail2banConfig empty() {
        return new Fail2banConfig(null);
    }

    /** The configurations of one directory ({@code action.d}, {@code filter.d}) by name, each read once. */
    static final class Named {
        private final Path base;
        private final String directory;
        private final Map<String, Fail2banConfig> read = new HashMap<>();

        Named(Path base, String directory) {
            this.base = base;
            this.directory = directory;
        }

        /** {@code name}'s configuration; empty when it has no file or the name is not a plain file name. */
        Fail2banConfig get(String name) throws IOException {
            Fail2banConfig config = read.get(name);
            if (config == null) {
                boolean plain = !name.isEmpty() && !name.contains("/") && !name.startsWith(".");
                config = plain ? Fail2banConfig.read(base, directory + "/" + name) : empty();
                read.put(name, config);
            }
            return config;
        }
    }

    /** Static options fail2ban's jail reader adds to {@code [DEFAULT]} before anything is interpolated. */
    void addDefault(String key, String value) {
        defaults.put(key, new IniValue(value, "(fail2ban)", 0));
    }

    /** The files read, in the order they were merged. */
    List<String> files() {
        return List.copyOf(files);
    }

    /** Every section but {@code DEFAULT}, {@code INCLUDES} and the {@code KNOWN/} copies, in the order first seen. */
    List<String> sections() {
        List<String> names = new ArrayList<>();
        for (String name : sections.keySet()) {
            if (!name.startsWith(KNOWN) && !name.equals(INCLUDES)) {
                names.add(name);
            }
        }
        return names;
    }

    boolean hasSection(String section) {
        return sections.containsKey(section);
    }

    /** The keys written in {@code section} itself, without those it only inherits from {@code [DEFAULT]}. */
    Set<String> ownKeys(String section) {
        return sections.getOrDefault(section, Map.of()).keySet();
    }

    /** The raw value of {@code key} in {@code section} or {@code [DEFAULT]}, with where it was written; null when unset. */
    IniValue raw(String section, String key) {
        IniValue own = sections.getOrDefault(section, Map.of()).get(key);
        return own != null ? own : defaults.get(key);
    }

    /**
     * The interpolated value of {@code key} in {@code section}, or null when neither the section nor
     * {@code [DEFAULT]} sets it.
     *
     * @throws ConfigException when a reference cannot be resolved, naming the file and line of the key
     */
    String get(String section, String key) {
        return get(section, key, (Set<String>) null);
    }

    /** As {@link #get(String, String)}, adding to {@code referenced} the name of every key the value refers to. */
    String get(String section, String key, Set<String> referenced) {
        IniValue value = raw(section, key);
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        interpolate(section, key, value, value.text(), out, 1, referenced);
        return out.toString();
    }

    /** A line of a value after interpolation, with the file and line it was written on. */
    record Located(String text, String file, int line) {
    }

    /**
     * The lines of the interpolated value of {@code key} in {@code section}, each with where it was written, or null
     * when unset: what a message about one line of a list such as {@code failregex} names. A line that is only a
     * reference to a value of several lines ({@code %(known/failregex)s}) gives that value's lines, where they were
     * written.
     */
    List<Located> getLines(String section, String key) {
        IniValue value = raw(section, key);
        if (value == null) {
            return null;
        }
        List<Located> out = new ArrayList<>();
        locate(section, key, value, out, 1);
        return out;
    }

    private void locate(String section, String key, IniValue value, List<Located> out, int depth) {
        if (depth > MAX_DEPTH) {
            throw error(section, key, value, "references nest more than " + MAX_DEPTH + " levels deep (a loop?)");
        }
        String[] lines = value.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher whole = REFERENCE.matcher(lines[i].strip());
            if (whole.matches()) {
                IniValue referenced = lookupValue(section, whole.group(1));
                if (referenced != null && referenced.text().indexOf('\n') >= 0) {
                    locate(section, key, referenced, out, depth + 1);
                    continue;
                }
            }
            StringBuilder text = new StringBuilder();
            interpolate(section, key, value, lines[i], text, depth, null);
            for (String part : text.toString().split("\n", -1)) {
                out.add(new Located(part, value.file(), value.lineOf(i)));
            }
        }
    }

    /**
     * fail2ban's {@code get_ex}: the interpolated value of {@code option} seen from {@code section}, where the option
     * may name another section ({@code lt_file/__prefix_line}, {@code known/failregex}, {@code default/x}); null
     * when unset.
     */
    String getEx(String section, String option) {
        String lower = option.toLowerCase(Locale.ROOT);
        Matcher qualified = SECTION_REFERENCE.matcher(option);
        if (option.indexOf('/') >= 0 && qualified.matches()) {
            String other = qualified.group(1);
            String key = qualified.group(2).toLowerCase(Locale.ROOT);
            String otherLower = other.toLowerCase(Locale.ROOT);
            List<String> tries = otherLower.equals("known") ? List.of(KNOWN + section, section)
                    : List.of(otherLower.equals("default") ? DEFAULT_SECTION : other);
            for (String candidate : tries) {
                String value = candidate.equals(DEFAULT_SECTION) ? defaultValue(key)
                        : sections.containsKey(candidate) ? get(candidate, key) : null;
                if (value != null) {
                    return value;
                }
            }
        }
        return get(section, lower);
    }

    private String defaultValue(String key) {
        IniValue value = defaults.get(key);
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        interpolate(DEFAULT_SECTION, key, value, value.text(), out, 1, null);
        return out.toString();
    }

    /** As {@link #get(String, String)}, with {@code fallback} for an unset key. */
    String getOr(String section, String key, String fallback) {
        String value = get(section, key);
        return value == null ? fallback : value;
    }

    private void interpolate(String section, String key, IniValue origin, String rest, StringBuilder out, int depth,
                             Set<String> referenced) {
        if (depth > MAX_DEPTH) {
            throw error(section, key, origin, "references nest more than " + MAX_DEPTH + " levels deep (a loop?)");
        }
        int i = 0;
        while (i < rest.length()) {
            int percent = rest.indexOf('%', i);
            if (percent < 0) {
                out.append(rest, i, rest.length());
                return;
            }
            out.append(rest, i, percent);
            char next = percent + 1 < rest.length() ? rest.charAt(percent + 1) : 0;
            if (next == '%') {
                out.append('%');
                i = percent + 2;
                continue;
            }
            if (next != '(') {
                throw error(section, key, origin, "'%' must be followed by '%' or '(' (write %% for a per cent sign), was "
                        + Echo.quote(rest.substring(percent)));
            }
            Matcher reference = REFERENCE.matcher(rest).region(percent, rest.length());
            if (!reference.lookingAt()) {
                throw error(section, key, origin, "bad reference " + Echo.quote(rest.substring(percent))
                        + " (expected %(name)s)");
            }
            String name = reference.group(1);
            if (referenced != null) {
                referenced.add(name.toLowerCase(Locale.ROOT));
            }
            String value = lookup(section, name);
            if (value == null) {
                throw error(section, key, origin, "%(" + name + ")s refers to '" + name + "', which is not set in ["
                        + section + "] nor in [DEFAULT]");
            }
            if (value.indexOf('%') >= 0) {
                interpolate(section, key, origin, value, out, depth + 1, referenced);
            } else {
                out.append(value);
            }
            i = reference.end();
        }
    }

    /** The raw text a reference names, seen from {@code section}; null when unset. */
    private String lookup(String section, String name) {
        IniValue value = lookupValue(section, name);
        return value == null ? null : value.text();
    }

    /** The value a reference names, seen from {@code section}; null when unset. */
    private IniValue lookupValue(String section, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("__name__")) {
            return new IniValue(section, "(fail2ban)", 0);
        }
        IniValue direct = raw(section, lower);
        if (direct != null) {
            return direct;
        }
        Matcher qualified = SECTION_REFERENCE.matcher(name);
        if (!qualified.matches()) {
            return null;
        }
        String other = qualified.group(1);
        String key = qualified.group(2).toLowerCase(Locale.ROOT);
        String otherLower = other.toLowerCase(Locale.ROOT);
        IniValue found = null;
        if (otherLower.equals("known")) {
            found = sections.getOrDefault(KNOWN + section, Map.of()).get(key);
        } else if (!otherLower.equals("default")) {
            Map<String, IniValue> options = sections.get(other);
            if (options == null) {
                return null;
            }
            found = options.get(key);
        }
        if (found == null) {
            found = defaults.get(key);
        }
        return found;
    }

    private static ConfigException error(String section, String key, IniValue origin, String problem) {
        return new ConfigException("[" + section + "] " + key, problem, origin.file(), origin.line());
    }

    private void merge(IniFile file) {
        files.add(file.path());
        defaults.putAll(file.defaults());
        for (Map.Entry<String, Map<String, IniValue>> entry : file.sections().entrySet()) {
            String name = entry.getKey();
            Map<String, IniValue> options = entry.getValue();
            Matcher conditional = CONDITIONAL.matcher(name);
            if (conditional.matches()) {
                // [Init?family=inet6]: the keys carry the condition, the section is the plain one.
                name = conditional.group(1);
                Map<String, IniValue> renamed = new LinkedHashMap<>();
                String condition = conditional.group(2);
                options.forEach((key, value) -> renamed.put(key + condition, value));
                options = renamed;
            }
            Map<String, IniValue> existing = sections.get(name);
            if (existing == null) {
                sections.put(name, new LinkedHashMap<>(options));
                continue;
            }
            Map<String, IniValue> known = sections.computeIfAbsent(KNOWN + name, k -> new LinkedHashMap<>());
            for (String key : options.keySet()) {
                IniValue earlier = existing.get(key);
                if (earlier != null) {
                    known.put(key, earlier);
                }
            }
            existing.putAll(options);
        }
    }

    /** One file on its own, to interpolate its {@code [INCLUDES]} as fail2ban does before merging. */
    static Fail2banConfig single(IniFile ini) {
        Fail2banConfig config = new Fail2banConfig(null);
        config.merge(ini);
        config.files.clear();
        return config;
    }

    /** The directory the configuration was read from. */
    Path base() {
        return base;
    }

    /** For messages: the set of files read, as one string. */
    String describeFiles() {
        return String.join(", ", new LinkedHashSet<>(files));
    }
}
