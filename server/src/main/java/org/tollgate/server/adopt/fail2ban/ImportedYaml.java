package org.tollgate.server.adopt.fail2ban;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tollgate.banner.config.Durations;
import org.tollgate.server.adopt.fail2ban.ImportedConfig.Action;
import org.tollgate.server.adopt.fail2ban.ImportedConfig.Jail;
import org.tollgate.server.adopt.fail2ban.ImportedConfig.LeftOut;
import org.tollgate.server.adopt.fail2ban.ImportedConfig.Source;
import org.tollgate.server.config.TollgateConfig;

/**
 * Writes an {@link ImportedConfig} as tollgate.yaml: every value quoted as a YAML double-quoted string (so no text
 * from fail2ban's files can change the document's shape), every note as a comment beside what it is about, and
 * checks that the result loads with Tollgate's own configuration reader before anyone sees it.
 */
public final class ImportedYaml {

    /** Where the imported configuration keeps its state, as config/tollgate.yaml does. */
    static final String STATE_PATH = "/var/lib/tollgate/state.db";

    private static final int COMMENT_WIDTH = 112;

    private final StringBuilder out = new StringBuilder();

    private ImportedYaml() {
    }

    /** The YAML text of {@code config}. */
    public static String render(ImportedConfig config) {
        ImportedYaml yaml = new ImportedYaml();
        yaml.write(config);
        return yaml.out.toString();
    }

    /**
     * Loads {@code yaml} with the configuration reader {@code tollgate run} uses, which checks every section, the
     * firewall actions' parameters included.
     *
     * @throws org.tollgate.banner.config.ConfigException when it does not load
     */
    public static TollgateConfig check(String yaml, String name) {
        return TollgateConfig.parse(yaml, name);
    }

    private void write(ImportedConfig config) {
        comment(0, "tollgate.yaml carried over from fail2ban's configuration in " + config.directory()
                + " by `tollgate import-fail2ban`.");
        comment(0, "Files read, in fail2ban's order: " + String.join(", ", config.files()));
        leftOut(config.leftOut());
        comment(0, "Every key that could not be carried over has a comment saying why. Try it on your logs before you"
                + " turn it on (a replay bans nothing): tollgate replay --config tollgate.yaml "
                + config.sources().get(0).target());
        for (String note : config.notes()) {
            comment(0, note);
        }
        out.append('\n').append("sources:\n");
        for (Source source : config.sources()) {
            for (String note : source.notes()) {
                comment(2, note);
            }
            out.append("  - type: ").append(source.type()).append('\n');
            out.append("    ").append(source.type().equals("journald") ? "unit" : "path").append(": ")
                    .append(quote(source.target())).append('\n');
            if (source.start() != null) {
                out.append("    start: ").append(quote(source.start())).append('\n');
            }
            if (source.zone() != null) {
                out.append("    zone: ").append(quote(source.zone())).append('\n');
            }
            if (source.patched()) {
                out.append("    patched: true\n");
            }
        }
        out.append('\n').append("state:\n  path: ").append(quote(STATE_PATH)).append('\n');
        out.append('\n').append("jails:\n");
        for (Jail jail : config.jails()) {
            jail(jail);
        }
    }

    private void leftOut(List<LeftOut> leftOut) {
        if (leftOut.isEmpty()) {
            return;
        }
        List<String> enabled = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        for (LeftOut jail : leftOut) {
            (jail.enabled() ? enabled : disabled).add(jail.name() + (jail.reason() == null ? "" : " (" + jail.reason() + ")"));
        }
        if (!enabled.isEmpty()) {
            comment(0, "Left out, not Asterisk jails, run by fail2ban: " + String.join(", ", enabled));
        }
        if (!disabled.isEmpty()) {
            comment(0, "Left out, not Asterisk jails, disabled in fail2ban: " + String.join(", ", disabled));
        }
    }

    private void jail(Jail jail) {
        out.append("  ").append(jail.name()).append(":\n");
        if (!jail.name().equals(jail.fail2banName())) {
            comment(4, "fail2ban's [" + jail.fail2banName() + "]");
        }
        for (String note : jail.notes()) {
            comment(4, note);
        }
        out.append("    enabled: ").append(jail.enabled()).append('\n');
        if (jail.recidive()) {
            out.append("    source: bans\n");
        }
        if (jail.maxretry != null) {
            out.append("    maxretry: ").append(jail.maxretry).append('\n');
        }
        if (jail.findtime != null) {
            out.append("    findtime: ").append(quote(Durations.format(jail.findtime))).append('\n');
        }
        if (jail.bantime != null) {
            out.append("    bantime: ").append(quote(Durations.format(jail.bantime))).append('\n');
        }
        for (Map.Entry<String, Object> entry : jail.increment.entrySet()) {
            out.append("    ").append(entry.getKey()).append(": ").append(scalar(entry.getValue())).append('\n');
        }
        if (!jail.ignoreip().isEmpty()) {
            out.append("    ignoreip: [");
            String separator = "";
            for (String entry : jail.ignoreip()) {
                out.append(separator).append(quote(entry));
                separator = ", ";
            }
            out.append("]\n");
        }
        if (jail.ignoreself != null) {
            out.append("    ignoreself: ").append(jail.ignoreself).append('\n');
        }
        out.append("    actions:\n");
        for (Action action : jail.actions()) {
            action(action);
        }
    }

    private void action(Action action) {
        if (action.from() != null) {
            comment(6, "fail2ban: " + action.from());
        }
        for (String note : action.notes()) {
            comment(6, note);
        }
        if (action.type() == null) {
            return;
        }
        String prefix = action.live() ? "" : "# ";
        out.append("      ").append(prefix).append("- type: ").append(quote(action.type())).append('\n');
        for (Map.Entry<String, String> param : action.params().entrySet()) {
            out.append("      ").append(prefix).append("  ").append(param.getKey()).append(": ")
                    .append(quote(param.getValue())).append('\n');
        }
    }

    private static String scalar(Object value) {
        if (value instanceof Duration duration) {
            return quote(Durations.format(duration));
        }
        if (value instanceof Double number) {
            return Fail2banTime.format(number);
        }
        if (value instanceof List<?> list) {
            StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(list.get(i));
            }
            return text.append(']').toString();
        }
        return String.valueOf(value);
    }

    /** A YAML double-quoted scalar: backslash, quote and every character that is not printable escaped. */
    static String quote(String value) {
        StringBuilder text = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                text.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029'
                    || c == '\uFEFF' || Character.isSurrogate(c) && !validSurrogate(value, i)) {
                text.append(String.format("\\u%04x", (int) c));
            } else {
                text.append(c);
            }
        }
        return text.append('"').toString();
    }

    private static boolean validSurrogate(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }

    /** A comment, wrapped; no text of it can leave the comment (line breaks and control characters are removed). */
    private void comment(int indent, String text) {
        String clean = text.replaceAll("[\\p{Cntrl}\u2028\u2029\u0085]+", " ").strip();
        String pad = " ".repeat(indent) + "# ";
        int width = Math.max(40, COMMENT_WIDTH - pad.length());
        while (clean.length() > width) {
            int cut = clean.lastIndexOf(' ', width);
            if (cut <= width / 2) {
                cut = width;
            }
            out.append(pad).append(clean, 0, cut).append('\n');
            clean = clean.substring(cut).strip();
        }
        out.append(pad).append(clean).append('\n');
    }
}
