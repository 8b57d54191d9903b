package org.tollgate.banner.config;

/**
 * Quotes a user's value for an error message: short, on one line, control characters escaped. For every error about
 * tollgate.yaml, the firewall actions' parameters included.
 */
public final class Echo {

    private static final int LONGEST = 80;

    private Echo() {
    }

    /** {@code 'value'}, cut at 80 characters, or {@code empty} for a missing or empty value. */
    public static String quote(String value) {
        if (value == null || value.isEmpty()) {
            return "empty";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), LONGEST) + 5).append('\'');
        int shown = Math.min(value.length(), LONGEST);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (shown < value.length()) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
