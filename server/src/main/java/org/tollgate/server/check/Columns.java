package org.tollgate.server.check;

/**
 * Text set in a column, as {@code String.format}'s {@code %-Ns} and {@code %Ns} set it (never cut), for the summaries
 * a check prints once at its end. Without {@link java.util.Formatter}: its first use loads and runs its format
 * parser, the locale's number symbols and the floating-point formatter, about 10 ms of CPU at the end of every check
 * (a check of an empty file takes about 0.3 s); a column and a number need none of that.
 */
public final class Columns {

    private Columns() {
    }

    /** Appends {@code value}, then spaces up to {@code width} characters. */
    public static StringBuilder left(StringBuilder line, Object value, int width) {
        int start = line.length();
        line.append(value);
        return pad(line, width - (line.length() - start));
    }

    /** Appends spaces, then {@code value}, ending {@code width} characters on. */
    public static StringBuilder right(StringBuilder line, Object value, int width) {
        String text = String.valueOf(value);
        return pad(line, width - text.length()).append(text);
    }

    /**
     * Appends a table's row and a line end: cell {@code i} set in a column of {@code widths[i]} characters (a negative
     * width sets it to the right, as {@code %8s} does), a space between cells; cells beyond {@code widths} as they are.
     */
    public static StringBuilder row(StringBuilder line, int[] widths, Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(' ');
            }
            if (i >= widths.length) {
                line.append(cells[i]);
            } else if (widths[i] < 0) {
                right(line, cells[i], -widths[i]);
            } else {
                left(line, cells[i], widths[i]);
            }
        }
        return line.append(System.lineSeparator());
    }

    private static StringBuilder pad(StringBuilder line, int spaces) {
        for (int i = 0; i < spaces; i++) {
            line.append(' ');
        }
        return line;
    }
}
