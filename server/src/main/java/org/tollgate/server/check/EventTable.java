package org.tollgate.server.check;

import java.io.PrintStream;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.message.Finding;

/** The readable form of {@code tollgate check}: one row per security event. */
public final class EventTable {

    private static final String FORMAT = "%-7s %-24s %-34s %-41s %-7s %-16s %s%n";

    private final PrintStream out;
    private boolean headerWritten;

    public EventTable(PrintStream out) {
        this.out = out;
    }

    public void row(AsteriskEvent event) {
        if (!headerWritten) {
            out.printf(FORMAT, "LINE", "TIME", "ACTION", "SOURCE", "TRUSTED", "USER", "REASON");
            headerWritten = true;
        }
        Finding finding = event.finding();
        String source = "-";
        if (finding.source() != null) {
            source = finding.source().hasPort()
                    ? (finding.source().isIpv6() ? "[" + finding.source().ip() + "]" : finding.source().ip()) + ":" + finding.source().port()
                    : finding.source().ip();
        }
        out.printf(FORMAT, event.sequence(), event.timestamp().toString(), finding.actionName(), source,
                finding.source() == null ? "-" : finding.sourceTrusted() ? "yes" : "NO",
                clip(finding.userName(), 16), clip(finding.reason(), 60));
    }

    private static String clip(String text, int width) {
        if (text == null) {
            return "-";
        }
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= width ? printable : printable.substring(0, width - 1) + "…";
    }
}
