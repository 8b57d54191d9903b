package org.tollgate.server.adopt.fail2ban;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.config.Durations;
import org.tollgate.banner.jail.AddressMatcher;
import org.tollgate.banner.jail.BanTimeIncrement;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.server.adopt.fail2ban.IniFile.IniValue;
import org.tollgate.server.adopt.fail2ban.ImportedConfig.Action;
import org.tollgate.server.adopt.fail2ban.ImportedConfig.Jail;
import org.tollgate.server.adopt.fail2ban.ImportedConfig.Source;

/**
 * One fail2ban jail carried over: its keys read with fail2ban's rules (a key that cannot be read in a disabled jail
 * becomes a note, as fail2ban does not read it either), turned into the Tollgate jail, its sources and its actions,
 * with a note for every key that could not be carried and why.
 */
final class JailCarryOver {

    /** The keys fail2ban's jail reader reads for a jail (jailreader.py and filterreader.py). */
    private static final Set<String> JAIL_KEYS = Set.of("enabled", "backend", "maxretry", "maxmatches", "findtime",
            "bantime", "bantime.increment", "bantime.factor", "bantime.formula", "bantime.multipliers",
            "bantime.maxtime", "bantime.rndtime", "bantime.overalljails", "ignorecommand", "ignoreself", "ignoreip",
            "ignorecache", "filter", "logtimezone", "logencoding", "logpath", "action", "usedns", "prefregex",
            "ignoreregex", "failregex", "maxlines", "datepattern", "journalmatch");
    private static final Pattern WORDS = Pattern.compile("[ ,\n]+");
    private static final Pattern UTC_OFFSET = Pattern.compile("UTC([+-])(\\d\\d):?(\\d\\d)");
    private static final Pattern DOTTED_MASK = Pattern.compile("(.+)/(\\d+\\.\\d+\\.\\d+\\.\\d+)");

    private final Fail2banConfig config;
    private final ActionMapper actions;
    private final Function<String, String> filterJournalmatch;
    private final String section;
    private final boolean enabled;
    private final Jail jail;
    private final Set<String> referenced = new HashSet<>();

    /**
     * @param filterJournalmatch the journalmatch of a filter by name, or null
     */
    JailCarryOver(Fail2banConfig config, ActionMapper actions, Function<String, String> filterJournalmatch,
                  String section, boolean enabled, Jail jail) {
        this.config = config;
        this.actions = actions;
        this.filterJournalmatch = filterJournalmatch;
        this.section = section;
        this.enabled = enabled;
        this.jail = jail;
    }

    void read(String kind, ActionSpec filter, String backend, List<Source> sources) throws IOException {
        value("enabled");
        value("filter");
        if (kind.equals("recidive")) {
            jail.recidive = true;
            jail.notes.add("fail2ban's recidive reads fail2ban.log, so it counts the bans of every jail; here it"
                    + " counts the bans of Tollgate's jails");
        } else {
            readSources(kind, filter, backend, sources);
        }
        readCounts();
        readIncrement();
        readIgnores();
        readActions();
        noteOtherKeys();
    }

    private void readSources(String kind, ActionSpec filter, String backend, List<Source> sources) {
        referenced.add("backend");
        String zone = zone();
        boolean patched = kind.equals("asterisk-patched");
        if (!kind.startsWith("asterisk") || !filter.name().toLowerCase(Locale.ROOT).startsWith("asterisk")) {
            jail.notes.add("filter " + filter.name() + ": Tollgate reads Asterisk's lines with its own normalizer,"
                    + " not with this filter's regexes");
        }
        if (backend.startsWith("systemd")) {
            String match = value("journalmatch");
            if (match == null) {
                match = filterJournalmatch.apply(filter.name());
            }
            addSource(sources, journald(match), zone, patched);
            return;
        }
        if (!backend.equals("auto")) {
            jail.notes.add("backend = " + backend + ": not needed, Tollgate follows the files itself (also across"
                    + " rotation)");
        }
        String logpath = value("logpath");
        if (logpath == null || logpath.isBlank()) {
            jail.notes.add("no logpath: fail2ban would not start this jail");
            return;
        }
        for (String entry : logpath.split("\n")) {
            String path = entry.strip();
            if (path.isEmpty()) {
                continue;
            }
            String start = null;
            int space = path.lastIndexOf(' ');
            if (space > 0 && (path.endsWith(" tail") || path.endsWith(" head"))) {
                start = path.endsWith(" tail") ? "end" : null;
                path = path.substring(0, space).strip();
            }
            Source source = new Source("file", path);
            source.start = start;
            addSource(sources, source, zone, patched);
        }
    }

    private Source journald(String match) {
        String unit = null;
        List<String> others = new ArrayList<>();
        if (match != null) {
            for (String word : match.split("\\s+")) {
                if (word.startsWith("_SYSTEMD_UNIT=") && unit == null) {
                    unit = word.substring("_SYSTEMD_UNIT=".length());
                } else if (!word.isBlank()) {
                    others.add(word);
                }
            }
        }
        Source source = new Source("journald", unit == null ? "asterisk.service" : unit);
        if (unit == null) {
            source.notes.add("journalmatch names no _SYSTEMD_UNIT: asterisk.service is read");
        }
        if (!others.isEmpty()) {
            source.notes.add("journalmatch " + String.join(" ", others) + " is not carried over: the journald"
                    + " source reads one unit");
        }
        return source;
    }

    private void addSource(List<Source> sources, Source source, String zone, boolean patched) {
        source.zone = zone;
        source.patched = patched;
        source.notes.add(0, "from jail " + section);
        for (Source existing : sources) {
            if (existing.type.equals(source.type) && existing.target.equals(source.target)) {
                existing.notes.add("also jail " + section);
                if (existing.patched != patched || !Objects.equals(existing.zone, zone)) {
                    existing.notes.add("jail " + section + " reads it with other settings (patched, logtimezone);"
                            + " the first jail's are kept");
                }
                return;
            }
        }
        sources.add(source);
    }

    private String zone() {
        String zone = value("logtimezone");
        if (zone == null || zone.isBlank()) {
            return null;
        }
        Matcher offset = UTC_OFFSET.matcher(zone.strip());
        String id = offset.matches() ? offset.group(1) + offset.group(2) + ":" + offset.group(3) : zone.strip();
        try {
            return ZoneId.of(id).getId();
        } catch (java.time.DateTimeException e) {
            jail.notes.add("logtimezone = " + zone + " is not carried over: expected UTC or UTC+HHMM");
            return null;
        }
    }

    private void readCounts() {
        String maxretry = value("maxretry");
        if (maxretry != null) {
            try {
                int count = Integer.parseInt(maxretry.strip());
                if (count < 1 || count > JailSettings.LARGEST_MAXRETRY) {
                    int clamped = Math.max(1, Math.min(count, JailSettings.LARGEST_MAXRETRY));
                    note("maxretry", "is " + count + "; Tollgate takes 1 to " + JailSettings.LARGEST_MAXRETRY
                            + ": " + clamped + " is used");
                    count = clamped;
                }
                jail.maxretry = count;
            } catch (NumberFormatException e) {
                note("maxretry", "is not a whole number; fail2ban then uses 3, and so does this file");
                jail.maxretry = 3;
            }
        }
        jail.findtime = time("findtime", false);
        jail.bantime = time("bantime", true);
    }

    /** A time key in Tollgate's terms: whole seconds, -1 for a permanent bantime; null when unset or unusable. */
    private Duration time(String key, boolean permanentAllowed) {
        String text = value(key);
        if (text == null) {
            return null;
        }
        double seconds;
        try {
            seconds = Fail2banTime.seconds(text);
        } catch (IllegalArgumentException e) {
            if (enabled) {
                throw Fail2banImport.keyError(config, section, key, e.getMessage());
            }
            note(key, e.getMessage());
            return null;
        }
        if (seconds < 0 && permanentAllowed) {
            return Durations.PERMANENT;
        }
        long whole = (long) seconds;
        if (whole <= 0 || whole > Durations.LONGEST.getSeconds()) {
            note(key, "is " + Fail2banTime.format(seconds) + " s; Tollgate takes more than 0 and at most 100 years"
                    + (permanentAllowed ? " (or -1, permanent)" : "") + ": Tollgate's default is used");
            return null;
        }
        if (whole != seconds) {
            note(key, "is " + Fail2banTime.format(seconds) + " s; whole seconds are kept");
        }
        return Duration.ofSeconds(whole);
    }

    private void readIncrement() {
        String increment = value("bantime.increment");
        if (increment != null) {
            jail.increment.put("bantime.increment", Fail2banImport.bool(increment));
        }
        String factor = value("bantime.factor");
        if (factor != null) {
            try {
                double number = Fail2banTime.seconds(factor);
                if (number > 0) {
                    jail.increment.put("bantime.factor", number);
                } else {
                    note("bantime.factor", "must be greater than 0; 1 is used");
                }
            } catch (IllegalArgumentException e) {
                note("bantime.factor", "is not a number Tollgate can read (fail2ban evaluates it as Python): "
                        + factor);
            }
        }
        String formula = value("bantime.formula");
        if (formula != null && !Fail2banImport.squeeze(formula).equals(Fail2banImport.squeeze(BanTimeIncrement.DEFAULT_FORMULA))) {
            note("bantime.formula", "is not carried over: Tollgate computes only fail2ban's default formula (shape"
                    + " the growth with bantime.factor or bantime.multipliers)");
        }
        String multipliers = value("bantime.multipliers");
        if (multipliers != null && !multipliers.isBlank()) {
            List<Integer> numbers = new ArrayList<>();
            for (String word : multipliers.strip().split("\\s+")) {
                try {
                    int number = Integer.parseInt(word);
                    if (number < 1) {
                        throw new NumberFormatException();
                    }
                    numbers.add(number);
                } catch (NumberFormatException e) {
                    note("bantime.multipliers", "holds '" + word + "', not a whole number of at least 1: not"
                            + " carried over");
                    numbers.clear();
                    break;
                }
            }
            if (!numbers.isEmpty()) {
                jail.increment.put("bantime.multipliers", numbers);
            }
        }
        for (String key : List.of("bantime.maxtime", "bantime.rndtime")) {
            String text = value(key);
            if (text == null) {
                continue;
            }
            try {
                double seconds = Fail2banTime.seconds(text);
                long whole = (long) seconds;
                boolean maxtime = key.equals("bantime.maxtime");
                if ((maxtime ? whole <= 0 : whole < 0) || whole > Durations.LONGEST.getSeconds()) {
                    note(key, "is " + Fail2banTime.format(seconds) + " s: not carried over");
                } else {
                    jail.increment.put(key, Duration.ofSeconds(whole));
                }
            } catch (IllegalArgumentException e) {
                note(key, e.getMessage());
            }
        }
        String overall = value("bantime.overalljails");
        if (overall != null) {
            jail.increment.put("bantime.overalljails", Fail2banImport.bool(overall));
        }
    }

    private void readIgnores() {
        String ignoreself = value("ignoreself");
        if (ignoreself != null) {
            jail.ignoreself = Fail2banImport.bool(ignoreself);
        }
        String ignoreip = value("ignoreip");
        if (ignoreip == null) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (String word : WORDS.split(ignoreip.strip())) {
            String entry = word.strip();
            if (entry.isEmpty()) {
                continue;
            }
            String address = withPrefixLength(entry);
            try {
                AddressMatcher.parse(List.of(address));
                jail.ignoreip.add(address);
            } catch (IllegalArgumentException e) {
                if (entry.startsWith("file:")) {
                    note("ignoreip", entry + " is not carried over: list the addresses of that file here");
                } else {
                    names.add(entry);
                }
            }
        }
        if (!names.isEmpty()) {
            note("ignoreip", "names " + String.join(", ", names) + " are not carried over: Tollgate never resolves"
                    + " names; add their addresses");
        }
    }

    /** {@code 192.0.2.0/255.255.255.0} as {@code 192.0.2.0/24} (fail2ban takes both); anything else as written. */
    private String withPrefixLength(String entry) {
        Matcher dotted = DOTTED_MASK.matcher(entry);
        if (!dotted.matches()) {
            return entry;
        }
        long mask = 0;
        for (String octet : dotted.group(2).split("\\.")) {
            int value = Integer.parseInt(octet);
            if (value > 255) {
                return entry;
            }
            mask = (mask << 8) | value;
        }
        int bits = Long.bitCount(mask);
        long contiguous = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
        return mask == contiguous ? dotted.group(1) + "/" + bits : entry;
    }

    private void readActions() throws IOException {
        String text = value("action");
        if (text == null || text.isBlank()) {
            jail.notes.add("no action: fail2ban only counts here; the log action (a dry run) stands in");
            jail.actions.add(logAction("fail2ban's jail has no action"));
            return;
        }
        List<ActionSpec> specs;
        try {
            specs = ActionSpec.parseList(text);
        } catch (IllegalArgumentException e) {
            throw Fail2banImport.keyError(config, section, "action", e.getMessage());
        }
        for (ActionSpec spec : specs) {
            add(actions.map(jail.name, spec));
        }
        boolean firewall = jail.actions.stream().anyMatch(a -> a.live() && !a.type().equals(ActionMapper.MAIL));
        if (!firewall) {
            jail.actions.add(logAction("none of fail2ban's actions of this jail could be carried over"));
        }
        boolean onlyTcp = jail.actions.stream().filter(a -> a.params().containsKey("protocol"))
                .allMatch(a -> a.params().get("protocol").equals("tcp"))
                && jail.actions.stream().anyMatch(a -> a.params().containsKey("protocol"));
        if (onlyTcp) {
            jail.notes.add("fail2ban blocks only tcp in this jail (its protocol default); SIP is mostly UDP:"
                    + " protocol: all blocks both");
        }
    }

    /** Adds an action; one just like an earlier one (fail2ban's per-protocol pairs, here the same) is merged. */
    private void add(Action action) {
        for (int i = 0; i < jail.actions.size(); i++) {
            Action earlier = jail.actions.get(i);
            if (action.type() != null && action.type().equals(earlier.type())
                    && action.params().equals(earlier.params())) {
                List<String> notes = new ArrayList<>(earlier.notes());
                for (String note : action.notes()) {
                    if (!notes.contains(note)) {
                        notes.add(note);
                    }
                }
                jail.actions.set(i, new Action(earlier.type(), earlier.params(), notes, earlier.live(),
                        earlier.from() + " and " + action.from()));
                return;
            }
        }
        jail.actions.add(action);
    }

    private Action logAction(String why) {
        return new Action("log", Map.of(), List.of(why + ": a dry run until you choose a firewall action"),
                true, null);
    }

    /** Notes for the keys set on this jail that no part of the import carries. */
    private void noteOtherKeys() {
        String usedns = jail.recidive ? null : value("usedns");
        if (usedns != null && !List.of("no", "raw").contains(usedns.strip().toLowerCase(Locale.ROOT))) {
            note("usedns", "Tollgate never resolves names (as usedns = no): a line with a host name instead of an"
                    + " address is not banned on");
        }
        String maxmatches = value("maxmatches");
        if (maxmatches != null && jail.maxretry != null && !maxmatches.strip().equals(jail.maxretry.toString())) {
            note("maxmatches", "is not carried over: the mail action takes the failures of each ban");
        }
        for (String key : List.of("ignorecommand", "ignorecache")) {
            String value = value(key);
            if (value != null && !value.isBlank()) {
                note(key, "is not carried over: Tollgate runs no commands to decide a ban");
            }
        }
        String encoding = value("logencoding");
        if (encoding != null && !List.of("auto", "utf-8", "utf8").contains(encoding.strip().toLowerCase(Locale.ROOT))) {
            note("logencoding", "is not carried over: Tollgate reads UTF-8 (other bytes are kept as U+FFFD)");
        }
        for (String key : List.of("failregex", "ignoreregex", "prefregex", "maxlines", "datepattern")) {
            if (config.ownKeys(section).contains(key)) {
                note(key, "is not carried over: Tollgate reads Asterisk's lines and stamps with its normalizer");
            }
        }
        for (String key : config.ownKeys(section)) {
            if (!JAIL_KEYS.contains(key) && !referenced.contains(key) && !key.startsWith("known/")) {
                note(key, "is not a key fail2ban reads for a jail, and no other key refers to it: nothing to"
                        + " carry over");
            }
        }
    }

    /** The interpolated value, noting what each reference pulled in. */
    private String value(String key) {
        try {
            return config.get(section, key, referenced);
        } catch (ConfigException e) {
            if (enabled) {
                throw e;
            }
            jail.notes.add(e.getMessage() + ": not carried over (fail2ban does not read it while the jail is"
                    + " disabled)");
            return null;
        }
    }

    private void note(String key, String problem) {
        IniValue raw = config.raw(section, key);
        String where = raw == null || raw.line() == 0 ? "" : " (" + Fail2banImport.fileName(raw.file()) + " line " + raw.line() + ")";
        String text = raw == null ? "" : " = " + Fail2banImport.oneLine(raw.text());
        jail.notes.add(key + text + where + ": " + problem);
    }
}
