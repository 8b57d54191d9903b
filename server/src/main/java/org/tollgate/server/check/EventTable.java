package org.tollgate.server.check;

import java.io.PrintStream;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.message.Finding;

/**
 * The readable form of {@code tollgate check}: one row per security event, set in {@link Columns} rather than by a
 * format string, which was parsed again for every row.
 */
public final class EventTable {

    /** LINE, TIME, ACTION, SOURCE, TRUSTED, USER; the REASON runs on. */
    private static final int[] WIDTHS = {7, 24, 34, 41, 7, 16};

    private final PrintStream out;
    private boolean headerWritten;

    public EventTable(PrintStream out) {
        this.out = out;
    }

    public void row(AsteriskEvent event) {
        if (!headerWritten) {
            out.print(row("LINE", "TIME", "ACTION", "SOURCE", "TRUSTED", "USER", "REASON"));
            headerWritten = true;
        }
        Finding finding = event.finding();
        String source = "-";
        if (finding.source() != null) {
            source = finding.source().hasPort()
                    ? (finding.source().isIpv6() ? "[" + finding.source().ip() + "]" : finding.source().ip()) + ":" + finding.source().port()
                    : finding.source().ip();
        }
        out.print(row(event.sequence(), event.timestamp().toString(), finding.actionName(), source,
                finding.source() == null ? "-" : finding.sourceTrusted() ? "yes" : "NO",
                clip(finding.userName(), 16), clip(finding.reason(), 60)));
    }

    private static StringBuilder row(Object... cells) {
        return Columns.row(new StringBuilder(200), WIDTHS, cells);
    }

    private static String clip(String text, int width) {
        if (text == null) {
            return "-";
        }
        String printable = printable(text);
        return printable.length() <= width ? printable : printable.substring(0, width - 1) + "…";
    }

    /** {@code text} with each control character (regex {@code \p{Cntrl}}: below a space, and DEL) as {@code ?}. */
    static String printable(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' || c == 0x7f) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = '?';
            }
        }
        return chars == null ? text : new String(chars);
    }
}
