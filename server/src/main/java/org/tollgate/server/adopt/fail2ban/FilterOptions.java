package org.tollgate.server.adopt.fail2ban;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.server.adopt.fail2ban.Fail2banConfig.Located;

/**
 * A filter's options as fail2ban's filter reader combines them ({@code filterreader.py},
 * {@code DefinitionInitConfigReader.getCombined}, {@code helpers.substituteRecursiveTags}): the {@code [Definition]}
 * options interpolated ({@code %(__prefix_line)s}), the {@code [Init]} options and the jail's own
 * ({@code filter = name[logtype=journal]}) laid over them, then every {@code <tag>} that names an option replaced,
 * again and again until nothing changes ({@code <lt_<logtype>/__prefix_line>} becomes common.conf's
 * {@code [lt_file]} prefix). Tags that name no option ({@code <HOST>}, {@code <F-USER>}) stay for {@link FailRegex}.
 *
 * @param prefregex   the prefregex, or null
 * @param failregex   one line per failregex, blank lines left out
 * @param ignoreregex one line per ignoreregex
 * @param datepattern the datepattern, or null
 * @param maxlines    how many lines a failure may span (fail2ban's default 1)
 */
record FilterOptions(Located prefregex, List<Located> failregex, List<Located> ignoreregex, Located datepattern,
                     int maxlines) {

    private static final String DEFINITION = "Definition";
    private static final String INIT = "Init";
    private static final Pattern TAG = Pattern.compile("<([^ <>]+)>");
    private static final int MAX_ROUNDS = 50;

    /**
     * Combines the options of {@code config}.
     *
     * @param params the jail's parameters for the filter (none: {@code logtype} is {@code file})
     * @throws ConfigException naming the file and line of a value that cannot be resolved
     */
    static FilterOptions combine(Fail2banConfig config, Map<String, String> params) {
        Map<String, String> init = new LinkedHashMap<>();
        if (config.hasSection(INIT)) {
            for (String key : config.ownKeys(INIT)) {
                if (key.indexOf('?') < 0) {
                    String value = config.get(INIT, key);
                    init.put(key, value);
                    init.put("known/" + key, value);
                }
            }
        }
        init.putAll(params);
        if (!init.containsKey("logtype") && config.raw(DEFINITION, "logtype") == null) {
            init.put("logtype", "file");
        }
        Map<String, String> cache = new HashMap<>();
        Tags tags = name -> {
            String known = init.get(name);
            if (known != null) {
                return known;
            }
            return cache.computeIfAbsent(name, n -> {
                String value = config.getEx(DEFINITION, n);
                return value == null ? "\u0000" : value;
            });
        };
        Located prefregex = single(config, "prefregex", tags, init);
        List<Located> failregex = lines(config, "failregex", tags, init);
        List<Located> ignoreregex = lines(config, "ignoreregex", tags, init);
        Located datepattern = single(config, "datepattern", tags, init);
        Located maxlinesText = single(config, "maxlines", tags, init);
        int maxlines = 1;
        if (maxlinesText != null && !maxlinesText.text().isBlank()) {
            try {
                maxlines = Integer.parseInt(maxlinesText.text().strip());
            } catch (NumberFormatException e) {
                throw new ConfigException("[Definition] maxlines", "expected a whole number, was '"
                        + maxlinesText.text() + "'", maxlinesText.file(), maxlinesText.line());
            }
        }
        return new FilterOptions(prefregex, failregex, ignoreregex, datepattern, maxlines);
    }

    /** An option's value for a tag, or null (a NUL when the option is unset, kept in the cache). */
    @FunctionalInterface
    private interface Tags {
        String value(String name);
    }

    private static Located single(Fail2banConfig config, String key, Tags tags, Map<String, String> init) {
        List<Located> lines = lines(config, key, tags, init);
        if (lines == null || lines.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (Located line : lines) {
            text.append(text.length() == 0 ? "" : "\n").append(line.text());
        }
        return new Located(text.toString(), lines.get(0).file(), lines.get(0).line());
    }

    /** The option's lines, tags substituted, blank lines left out; an [Init] or jail parameter wins. */
    private static List<Located> lines(Fail2banConfig config, String key, Tags tags, Map<String, String> init) {
        List<Located> raw;
        if (init.containsKey(key)) {
            raw = new ArrayList<>();
            for (String line : init.get(key).split("\n")) {
                raw.add(new Located(line, "(filter parameter " + key + ")", 0));
            }
        } else {
            raw = config.getLines(DEFINITION, key);
        }
        List<Located> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (Located line : raw) {
            String text = substitute(key, line, tags);
            if (!text.isBlank()) {
                out.add(new Located(text, line.file(), line.line()));
            }
        }
        return out;
    }

    /** fail2ban's recursive tag substitution for one line; tags that name no option stay. */
    private static String substitute(String key, Located line, Tags tags) {
        String value = line.text();
        Map<String, Integer> counts = new HashMap<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Matcher tag = TAG.matcher(value);
            StringBuilder out = new StringBuilder();
            boolean changed = false;
            while (tag.find()) {
                String name = tag.group(1);
                String replacement = name.equals(key) ? null : tags.value(name);
                if (replacement == null || replacement.equals("\u0000")) {
                    tag.appendReplacement(out, Matcher.quoteReplacement(tag.group()));
                    continue;
                }
                if (counts.merge(name, 1, Integer::sum) > MAX_ROUNDS) {
                    throw new ConfigException("[Definition] " + key, "<" + name + "> refers back to itself",
                            line.file(), line.line());
                }
                tag.appendReplacement(out, Matcher.quoteReplacement(replacement));
                changed = true;
            }
            tag.appendTail(out);
            value = out.toString();
            if (!changed) {
                return value;
            }
        }
        throw new ConfigException("[Definition] " + key, "tags still unresolved after " + MAX_ROUNDS + " rounds",
                line.file(), line.line());
    }
}
