package org.tollgate.server.adopt.fail2ban;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.server.config.MailSettings;
import org.tollgate.server.adopt.fail2ban.ImportedConfig.Action;

/**
 * Turns one fail2ban action of a jail ({@code iptables-multiport[name=asterisk, port="5060,5061"]}) into the
 * Tollgate action that does the same, reading the action's file under {@code action.d} as fail2ban does for its
 * defaults ({@code [Init]}, {@code <tag>} references, {@code <known/...>}). The action's commands
 * ({@code actionban}, ...) are read as text only, for the note on an action that cannot be carried over.
 *
 * <p>Tollgate's firewall objects are named {@code tollgate-…}, never {@code f2b-…}, so both can run side by side
 * while a host moves over.
 */
final class ActionMapper {

    /** Type of the mail action. */
    static final String MAIL = MailSettings.TYPE;

    private static final Pattern TAG = Pattern.compile("<([^ <>]+)>");
    private static final Pattern NAME_CHARS = Pattern.compile("[^A-Za-z0-9_-]+");
    private static final Pattern PORTS = Pattern.compile("\\d{1,5}(?::\\d{1,5})?(?:,\\d{1,5}(?::\\d{1,5})?)*");
    private static final int MAX_TAG_ROUNDS = 25;
    private static final int LONGEST_SET = 28;
    private static final int LONGEST_CHAIN_SUFFIX = 19;

    private final Fail2banConfig.Named actionFiles;

    ActionMapper(Path base) {
        this.actionFiles = new Fail2banConfig.Named(base, "action.d");
    }

    /**
     * The Tollgate action for {@code spec} in jail {@code jail}, or an action with no type whose notes say why none
     * could be made.
     */
    Action map(String jail, ActionSpec spec) throws IOException {
        String name = spec.name();
        String from = describe(spec);
        if (name.endsWith(".py")) {
            return unmapped(from, "a Python action (" + name + "): Tollgate runs no code from fail2ban's files");
        }
        Fail2banConfig file = actionFiles.get(name);
        Map<String, String> params = params(jail, spec, file);
        List<String> notes = new ArrayList<>();
        if (file.files().isEmpty()) {
            notes.add("action.d/" + name + ".conf does not exist: fail2ban itself would refuse to start this jail");
        }
        String kind = name.toLowerCase(Locale.ROOT);
        if (kind.startsWith("iptables-ipset")) {
            return ipset(params, typeOf(params), notes, from);
        }
        if (kind.equals("iptables") || kind.startsWith("iptables-multiport") || kind.equals("iptables-allports")
                || kind.equals("iptables-new")) {
            return iptablesAllports(params, typeOf(params), notes, from);
        }
        if (kind.equals("firewallcmd-ipset")) {
            return firewalldIpset(jail, spec, params, notes, from);
        }
        if (kind.startsWith("firewallcmd-")) {
            return firewalldRichRule(kind, params, notes, from);
        }
        if (kind.startsWith("nftables")) {
            return nftables(jail, params, typeOf(params), notes, from);
        }
        if (kind.startsWith("sendmail") || kind.startsWith("mail")) {
            return mail(params, notes, from);
        }
        String ban = file.files().isEmpty() ? null : file.get("Definition", "actionban");
        return unmapped(from, "no Tollgate action does what " + name + " does"
                + (ban == null || ban.isBlank() ? "" : " (its actionban: " + firstLine(ban) + ")"));
    }

    private Action iptablesAllports(Map<String, String> params, String type, List<String> notes, String from) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("name", name(params.get("name"), LONGEST_CHAIN_SUFFIX, notes, "name"));
        out.put("protocol", protocol(params.get("protocol"), notes));
        blocktype(params.get("blocktype"), "REJECT", "DROP", out, notes);
        chain(params.get("chain"), out, notes);
        if (!"allports".equals(type)) {
            String port = params.get("port");
            if (port != null && !isEveryPort(port)) {
                notes.add("port " + port + " is not carried over: iptables-allports blocks every port of the"
                        + " protocol (SIP scanners probe every service anyway)");
            }
        }
        return new Action("iptables-allports", out, notes, true, from);
    }

    private Action ipset(Map<String, String> params, String type, List<String> notes, String from) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("set", "tollgate-" + name(params.get("name"), LONGEST_SET - "tollgate-".length(), notes, "name"));
        String protocol = protocol(params.get("protocol"), notes);
        out.put("protocol", protocol);
        String port = params.get("port");
        if (!"allports".equals(type) && port != null && !isEveryPort(port)) {
            if (protocol.equals("all")) {
                notes.add("port " + port + " is not carried over: a port needs protocol tcp, udp or sctp");
            } else if (PORTS.matcher(port.replace(" ", "")).matches()) {
                out.put("port", port.replace(" ", ""));
            } else {
                notes.add("port " + port + " is not carried over: only port numbers and ranges (5060,5061 or"
                        + " 5060:5080) are; every port is blocked instead");
            }
        }
        blocktype(params.get("blocktype"), "REJECT", "DROP", out, notes);
        chain(params.get("chain"), out, notes);
        return new Action("ipset", out, notes, true, from);
    }

    private Action firewalldIpset(String jail, ActionSpec spec, Map<String, String> params, List<String> notes,
                                  String from) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("set", "tollgate-" + name(jail, LONGEST_SET - "tollgate-".length(), notes, "jail name"));
        // actiontype names its choice as a tag, <allports> or <multiport> (the default), before it is filled in.
        String actiontype = spec.params().getOrDefault("actiontype", "<multiport>");
        if (!actiontype.contains("allports")) {
            String port = params.get("port");
            if (port != null && !isEveryPort(port)) {
                notes.add("port " + port + " is not carried over: firewalld-ipset puts the set in the drop zone,"
                        + " which drops every port and protocol");
            }
        }
        return new Action("firewalld-ipset", out, notes, true, from);
    }

    private Action firewalldRichRule(String kind, Map<String, String> params, List<String> notes, String from) {
        Map<String, String> out = new LinkedHashMap<>();
        String zone = params.get("zone");
        if (zone != null && !zone.isBlank()) {
            out.put("zone", name(zone, 64, notes, "zone"));
        }
        String blocktype = params.getOrDefault("rich-blocktype", params.get("blocktype"));
        blocktype(blocktype, "reject", "drop", out, notes);
        String port = params.get("port");
        if (!kind.equals("firewallcmd-allports") && port != null && !isEveryPort(port)) {
            notes.add("port " + port + " is not carried over: the rich rule refuses every port of the address");
        }
        if (kind.equals("firewallcmd-allports") || kind.equals("firewallcmd-multiport")
                || kind.equals("firewallcmd-new")) {
            notes.add(kind + " puts iptables rules in firewalld's direct interface; a rich rule does the same"
                    + " through firewalld's own zones");
        }
        return new Action("firewalld-rich-rule", out, notes, true, from);
    }

    private Action nftables(String jail, Map<String, String> params, String type, List<String> notes, String from) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("table", "tollgate_" + name(jail, 40, notes, "jail name").replace('-', '_'));
        blocktype(params.get("blocktype"), "reject", "drop", out, notes);
        String port = params.get("port");
        if (!"allports".equals(type) && port != null && !isEveryPort(port)) {
            notes.add("port " + port + " is not carried over: the nftables action drops every port of the address");
        }
        return new Action("nftables", out, notes, true, from);
    }

    private Action mail(Map<String, String> params, List<String> notes, String from) {
        Map<String, String> out = new LinkedHashMap<>();
        boolean live = true;
        for (String[] pair : new String[][] {{"dest", "to"}, {"sender", "from"}}) {
            String value = params.get(pair[0]);
            if (value == null || value.isBlank()) {
                continue;
            }
            String written = value.strip().replaceAll("\\s*,\\s*", ", ");
            out.put(pair[1], written);
            if (value.indexOf('<') >= 0) {
                notes.add(pair[0] + " " + value + " holds a tag fail2ban fills in at run time: write the address out,"
                        + " then remove the '# '");
                live = false;
            } else if (!Arrays.stream(written.split(",\\s*")).allMatch(MailSettings::isAddress)) {
                notes.add(pair[0] + " " + value + " is not a mail address the mail action takes (local@domain, or a"
                        + " local part alone for the local MTA): write it out, then remove the '# '");
                live = false;
            }
        }
        if (!out.containsKey("to")) {
            notes.add("no recipient (dest): add to: and remove the '# '");
            live = false;
        }
        notes.add("sent through the SMTP server on localhost:25, as fail2ban's " + params.getOrDefault("mailcmd",
                "sendmail").replace('\n', ' ') + " handed mails to the local MTA; for another server set host, port,"
                + " tls, user and password_file (README, \"Alerts\")");
        return new Action(MAIL, out, notes, live, from);
    }

    private static Action unmapped(String from, String why) {
        return new Action(null, Map.of(), List.of(why), false, from);
    }

    /** fail2ban's combined options of the action: [Init] defaults under the jail's parameters, tags resolved. */
    private static Map<String, String> params(String jail, ActionSpec spec, Fail2banConfig file) {
        Map<String, String> init = new LinkedHashMap<>();
        if (file.hasSection("Init")) {
            for (String key : file.ownKeys("Init")) {
                if (key.indexOf('?') < 0) {
                    init.put(key, safeGet(file, "Init", key));
                }
            }
        }
        for (String key : List.of("type", "rich-blocktype", "blocktype", "rejecttype")) {
            if (!init.containsKey(key) && file.raw("Definition", key) != null && file.hasSection("Definition")) {
                init.put(key, safeGet(file, "Definition", key));
            }
        }
        Map<String, String> params = new LinkedHashMap<>(init);
        params.put("name", jail);
        params.putAll(spec.params());
        Map<String, String> known = new HashMap<>();
        init.forEach((key, value) -> known.put("known/" + key, value));
        for (Map.Entry<String, String> entry : params.entrySet()) {
            entry.setValue(resolveTags(entry.getValue(), params, known));
        }
        return params;
    }

    private static String safeGet(Fail2banConfig file, String section, String key) {
        try {
            return file.get(section, key);
        } catch (ConfigException e) {
            return file.raw(section, key).text();
        }
    }

    /** fail2ban's recursive {@code <tag>} substitution, for the parameters alone; unknown tags stay as written. */
    private static String resolveTags(String value, Map<String, String> params, Map<String, String> known) {
        String text = value;
        for (int round = 0; round < MAX_TAG_ROUNDS && text != null && text.indexOf('<') >= 0; round++) {
            Matcher tag = TAG.matcher(text);
            StringBuilder out = new StringBuilder();
            boolean changed = false;
            while (tag.find()) {
                String name = tag.group(1);
                String replacement = known.containsKey(name) ? known.get(name) : params.get(name);
                if (replacement == null || replacement.equals(tag.group())) {
                    replacement = tag.group();
                } else {
                    changed = true;
                }
                tag.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            tag.appendTail(out);
            text = out.toString();
            if (!changed) {
                break;
            }
        }
        return text;
    }

    /** {@code oneport}, {@code multiport} or {@code allports}: the action's {@code type} (iptables, nftables). */
    private static String typeOf(Map<String, String> params) {
        String type = params.get("type");
        return type == null ? "multiport" : type.strip();
    }

    /** A name Tollgate's actions accept (letters, digits, '_', '-', starting with a letter), at most {@code max} long. */
    private static String name(String value, int max, List<String> notes, String what) {
        String text = value == null || value.isBlank() ? "default" : value.strip();
        String cleaned = cleanName(text, max, true);
        if (!cleaned.equals(text)) {
            notes.add(what + " '" + text + "' is written '" + cleaned + "' (letters, digits, '_' and '-', at most "
                    + max + ")");
        }
        return cleaned;
    }

    /**
     * {@code text} with every run of other characters than letters, digits, '_' and '-' turned into '-', prefixed
     * with 'j' when it does not start with a letter ({@code letterFirst}) or a letter or digit, cut at {@code max}.
     */
    static String cleanName(String text, int max, boolean letterFirst) {
        String cleaned = NAME_CHARS.matcher(text).replaceAll("-");
        boolean startsWell = !cleaned.isEmpty() && (letterFirst ? Character.isLetter(cleaned.charAt(0))
                : Character.isLetterOrDigit(cleaned.charAt(0)));
        if (!startsWell) {
            cleaned = "j" + cleaned;
        }
        return cleaned.length() > max ? cleaned.substring(0, max) : cleaned;
    }

    private static String protocol(String value, List<String> notes) {
        String text = value == null ? "tcp" : value.strip().toLowerCase(Locale.ROOT);
        if (List.of("tcp", "udp", "sctp", "all").contains(text)) {
            return text;
        }
        notes.add("protocol " + value + " is not one Tollgate takes (tcp, udp, sctp, all): all is used");
        return "all";
    }

    private static void blocktype(String value, String reject, String drop, Map<String, String> out, List<String> notes) {
        if (value == null || value.isBlank()) {
            return;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        if (upper.contains("DROP")) {
            out.put("blocktype", drop);
        } else if (upper.contains("REJECT")) {
            out.put("blocktype", reject);
            if ((upper.contains("--REJECT-WITH") || upper.contains("TYPE=")) && !upper.contains("PORT-UNREACHABLE")) {
                notes.add("blocktype " + value + " is not carried over: Tollgate rejects with ICMP port unreachable");
            }
        } else {
            notes.add("blocktype " + value + " is not carried over: Tollgate drops or rejects; " + reject + " is used");
        }
    }

    private static void chain(String value, Map<String, String> out, List<String> notes) {
        if (value == null || value.isBlank() || value.equals("INPUT")) {
            return;
        }
        if (value.matches("[A-Za-z][A-Za-z0-9_-]{0,27}")) {
            out.put("chain", value);
        } else {
            notes.add("chain " + value + " is not carried over: INPUT is used");
        }
    }

    private static boolean isEveryPort(String port) {
        String text = port.replace(" ", "");
        return text.equals("0:65535") || text.equals("1:65535") || text.isEmpty();
    }

    private static String describe(ActionSpec spec) {
        StringBuilder out = new StringBuilder(spec.name());
        if (!spec.params().isEmpty()) {
            out.append('[');
            String separator = "";
            for (Map.Entry<String, String> entry : spec.params().entrySet()) {
                out.append(separator).append(entry.getKey()).append('=').append(entry.getValue());
                separator = ", ";
            }
            out.append(']');
        }
        return out.toString();
    }

    private static String firstLine(String text) {
        String line = text.strip();
        int newline = line.indexOf('\n');
        return newline < 0 ? line : line.substring(0, newline) + " …";
    }
}
