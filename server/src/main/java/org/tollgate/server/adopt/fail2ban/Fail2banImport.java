package org.tollgate.server.adopt.fail2ban;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.server.adopt.fail2ban.IniFile.IniValue;
import org.tollgate.server.adopt.fail2ban.ImportedConfig.Jail;
import org.tollgate.server.adopt.fail2ban.ImportedConfig.LeftOut;
import org.tollgate.server.adopt.fail2ban.ImportedConfig.Source;

/**
 * Reads a fail2ban configuration directory as fail2ban's client does and carries its Asterisk jails over into
 * tollgate.yaml's terms: the jails ({@code maxretry}, {@code findtime}, {@code bantime}, {@code bantime.*},
 * {@code ignoreip}, {@code ignoreself}, the firewall actions), the sources their {@code logpath} or
 * {@code journalmatch} name, and a recidive jail as a jail of bans. Jails whose filter is not an Asterisk filter are
 * listed and left out. What cannot be carried over is noted with the reason.
 *
 * <p>Nothing in the files is run (fail2ban evaluates time expressions and {@code bantime.factor} with Python; here a
 * small arithmetic reader does), and no name is ever resolved.
 */
public final class Fail2banImport {

    /** The fail2ban version whose reader this follows, for {@code %(fail2ban_version)s}. */
    static final String FAIL2BAN_VERSION = "1.0.2";

    private static final String DEFAULT_LOG = "/var/log/asterisk/full";

    private final Path directory;
    private final Fail2banConfig config;
    private final ActionMapper actions;
    private final Fail2banConfig.Named filters;

    private Fail2banImport(Path directory, Fail2banConfig config) {
        this.directory = directory;
        this.config = config;
        this.actions = new ActionMapper(directory);
        this.filters = new Fail2banConfig.Named(directory, "filter.d");
    }

    /**
     * Reads {@code directory} ({@code /etc/fail2ban}) and carries its Asterisk jails over.
     *
     * @throws ConfigException naming the file and line of what fail2ban itself would refuse, or when there is no
     *                         Asterisk jail to import
     * @throws IOException     when a file cannot be read
     */
    public static ImportedConfig read(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new ConfigException("", "not a directory (expected fail2ban's configuration directory such as"
                    + " /etc/fail2ban)", directory.toString(), 0);
        }
        Fail2banConfig config = Fail2banConfig.read(directory, "jail");
        if (config.files().isEmpty()) {
            throw new ConfigException("", "no jail.conf, jail.local or jail.d/*.conf here: not a fail2ban"
                    + " configuration directory", directory.toString(), 0);
        }
        config.addDefault("fail2ban_version", FAIL2BAN_VERSION);
        config.addDefault("fail2ban_confpath", directory.toString());
        return new Fail2banImport(directory, config).carryOver();
    }

    private ImportedConfig carryOver() throws IOException {
        List<Jail> jails = new ArrayList<>();
        List<LeftOut> leftOut = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String section : config.sections()) {
            boolean enabled = bool(config.getOr(section, "enabled", "false"));
            String backend = config.getOr(section, "backend", "auto").strip();
            String filterText = config.getOr(section, "filter", "").strip();
            if (filterText.isEmpty()) {
                leftOut.add(new LeftOut(section, enabled, "no filter"));
                continue;
            }
            ActionSpec filter;
            try {
                filter = ActionSpec.parse(filterText);
            } catch (IllegalArgumentException e) {
                throw keyError(config, section, "filter", e.getMessage());
            }
            String kind = filterKind(filter.name());
            if (kind == null) {
                leftOut.add(new LeftOut(section, enabled, filter.name().equals(section) ? null : "filter " + filter.name()));
                continue;
            }
            Jail jail = new Jail(uniqueName(section, names), section);
            jail.enabled = enabled;
            if (!jail.name.equals(section)) {
                jail.notes.add("fail2ban's jail [" + section + "] is named " + jail.name + " here (letters, digits,"
                        + " '-' and '_', at most 32)");
            }
            new JailCarryOver(config, actions, name -> filterValue(name, "journalmatch"), section, enabled, jail)
                    .read(kind, filter, backend, sources);
            jails.add(jail);
        }
        if (jails.isEmpty()) {
            throw new ConfigException("", "no Asterisk jail to import: every jail's filter is another service's ("
                    + describe(leftOut) + ")", directory.toString(), 0);
        }
        if (sources.isEmpty()) {
            Source source = new Source("file", DEFAULT_LOG);
            source.notes.add("no imported jail names a log: Asterisk's usual full log is read; change it to yours");
            sources.add(source);
        }
        if (jails.stream().noneMatch(j -> j.enabled)) {
            notes.add("fail2ban runs none of these jails (enabled = false), so neither does this file: set"
                    + " enabled: true on those to run");
        }
        return new ImportedConfig(directory.toString(), config.files(), sources, jails, leftOut, notes);
    }


    /** {@code asterisk}, {@code asterisk-patched}, {@code recidive}, or null for another service's filter. */
    private String filterKind(String name) throws IOException {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("asterisk-patched")) {
            return "asterisk-patched";
        }
        if (lower.startsWith("asterisk")) {
            return "asterisk";
        }
        if (lower.equals("recidive")) {
            return "recidive";
        }
        Fail2banConfig filter = filters.get(name);
        for (String file : filter.files()) {
            String fileName = Path.of(file).getFileName().toString().toLowerCase(Locale.ROOT);
            if (fileName.startsWith("asterisk")) {
                return "asterisk";
            }
        }
        String daemon = filterValue(name, "_daemon");
        return daemon != null && daemon.toLowerCase(Locale.ROOT).contains("asterisk") ? "asterisk" : null;
    }

    private String filterValue(String name, String key) {
        try {
            Fail2banConfig filter = filters.get(name);
            String value = filter.get("Definition", key);
            return value != null ? value : filter.get("DEFAULT", key);
        } catch (IOException | ConfigException e) {
            return null;
        }
    }

    static ConfigException keyError(Fail2banConfig config, String section, String key, String problem) {
        IniValue raw = config.raw(section, key);
        return new ConfigException("[" + section + "] " + key, problem, raw == null ? "fail2ban" : raw.file(),
                raw == null ? 0 : raw.line());
    }

    private static String uniqueName(String section, Set<String> taken) {
        String name = ActionMapper.cleanName(section, 32, false);
        String candidate = name;
        for (int i = 2; !taken.add(candidate); i++) {
            String suffix = "-" + i;
            candidate = name.substring(0, Math.min(name.length(), 32 - suffix.length())) + suffix;
        }
        return candidate;
    }

    /** fail2ban's boolean: 1, on, true, yes (any case); anything else is false. */
    static boolean bool(String value) {
        return List.of("1", "on", "true", "yes").contains(value.strip().toLowerCase(Locale.ROOT));
    }

    private static String describe(List<LeftOut> leftOut) {
        List<String> enabled = new ArrayList<>();
        for (LeftOut jail : leftOut) {
            if (jail.enabled()) {
                enabled.add(jail.name());
            }
        }
        return leftOut.size() + " jails, enabled: " + (enabled.isEmpty() ? "none" : String.join(", ", enabled));
    }

    static String squeeze(String text) {
        return text.replaceAll("\\s+", "");
    }

    static String oneLine(String text) {
        String line = text.replace('\n', ' ').strip();
        return line.length() > 100 ? line.substring(0, 100) + "…" : line;
    }

    static String fileName(String file) {
        return Path.of(file).getFileName().toString();
    }
}
