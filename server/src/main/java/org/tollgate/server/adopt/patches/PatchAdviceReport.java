package org.tollgate.server.adopt.patches;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.Map;

/** {@link PatchAdvice} for a reader (text) or a script (one JSON object, snake_case keys). */
public final class PatchAdviceReport {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private PatchAdviceReport() {
    }

    public static String json(PatchAdvice advice) {
        try {
            return JSON.writeValueAsString(advice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the advice is plain data", e);
        }
    }

    public static void text(PatchAdvice advice, PrintStream out) {
        out.println("Lines read: " + advice.lines());
        if (advice.generations().isEmpty()) {
            out.println("Asterisk release: no line says which");
        } else if (advice.generations().size() == 1) {
            generation("Asterisk release", advice.generations().get(0), out);
        } else {
            out.println("Asterisk releases: " + advice.generations().size() + " that cannot be one (an upgrade, or"
                    + " several hosts):");
            for (PatchAdvice.Generation generation : advice.generations()) {
                generation("  -", generation, out);
            }
        }
        PatchAdvice.ChanSip chanSip = advice.chanSip();
        out.println();
        if (chanSip.lines() == 0 && chanSip.headerOnlyFailures() == 0) {
            out.println("chan_sip: not seen");
        } else {
            out.println("chan_sip: " + count(chanSip.lines(), "line") + ", "
                    + count(chanSip.headerOnlyFailures(), "'Failed to authenticate' line")
                    + " with only the From header the sender wrote (never banned on), " + chanSip.patchedLines()
                    + " in the patched form");
            if (chanSip.example() != null) {
                out.println("  e.g. " + chanSip.example());
            }
            for (Map.Entry<String, String> patch : chanSip.patches().entrySet()) {
                out.println("  patch: " + patch.getKey() + " (Asterisk " + patch.getValue() + ")");
            }
            for (String advice1 : chanSip.advice()) {
                out.println("  - " + advice1);
            }
        }
        out.println();
        PatchAdvice.SecurityLog security = advice.securityLog();
        out.println("Security log: " + (security.seen() ? count(security.lines(), "security event") : "no security events"));
        if (security.advice() != null) {
            out.println("  - " + security.advice());
        }
        PatchAdvice.Dates dates = advice.dates();
        out.println("Dates: " + dates.asteriskStamps() + " stamps written by Asterisk, " + dates.withYear()
                + " with a year, " + dates.withMilliseconds() + " with milliseconds"
                + (dates.syslogStamps() > 0 ? "; " + dates.syslogStamps() + " written by a syslog daemon, "
                + dates.syslogWithYear() + " with a year" : ""));
        if (dates.advice() != null) {
            out.println("  - " + dates.advice());
        }
        StringBuilder layouts = new StringBuilder();
        advice.layouts().forEach((layout, count) -> layouts.append(layouts.length() == 0 ? "" : ", ")
                .append(layout).append(' ').append(count));
        out.println("Layouts: " + (layouts.length() == 0 ? "none" : layouts));
        for (String mixed : advice.mixed()) {
            out.println("  mixed: " + mixed);
        }
        for (String note : advice.notes()) {
            out.println("Note: " + note);
        }
        out.println();
        if (advice.loggerConf().isEmpty()) {
            out.println("logger.conf: nothing to add");
        } else {
            out.println("Add to /etc/asterisk/logger.conf (into the sections of those names), then run"
                    + " asterisk -rx 'logger reload':");
            for (String line : advice.loggerConf()) {
                out.println("  " + line);
            }
        }
    }

    /** {@code 1 line}, {@code 2 lines}. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static void generation(String label, PatchAdvice.Generation generation, PrintStream out) {
        out.println(label + ": " + generation.range() + " (series " + String.join(", ", generation.series()) + "; "
                + count(generation.observations(), "observation") + ")");
        for (String evidence : generation.evidence()) {
            out.println("      " + evidence);
        }
    }
}
