package org.tollgate.banner.config;

/**
 * A problem in tollgate.yaml, told the way a user fixes it: the dotted key, what was wrong with the value, and where.
 *
 * <pre>jails.sip-auth.findtime: expected &lt;number&gt;[s|m|h|d|w|y], was '10 minutes' (tollgate.yaml line 14)</pre>
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;
    private final String file;
    private final int line;

    /**
     * @param key     dotted key path such as {@code jails.sip-auth.findtime}; empty for the whole document
     * @param problem what is wrong and what is allowed, echoing the value
     * @param file    the file name as the user knows it, such as {@code tollgate.yaml}
     * @param line    1-based line, or 0 when unknown
     */
    public ConfigException(String key, String problem, String file, int line) {
        super(format(key, problem, file, line));
        this.key = key;
        this.problem = problem;
        this.file = file;
        this.line = line;
    }

    /** Dotted key path, empty for the document itself. */
    public String key() {
        return key;
    }

    /** The problem alone, without key or location. */
    public String problem() {
        return problem;
    }

    public String file() {
        return file;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /**
     * One line whatever the parts hold: a control character (a carriage return the YAML parser quotes from the file,
     * say) is written as its escape, so the message never breaks or overwrites a terminal line.
     */
    private static String format(String key, String problem, String file, int line) {
        StringBuilder out = new StringBuilder();
        if (key != null && !key.isEmpty()) {
            out.append(key).append(": ");
        }
        out.append(problem).append(" (").append(file);
        if (line > 0) {
            out.append(" line ").append(line);
        }
        out.append(')');
        for (int i = out.length() - 1; i >= 0; i--) {
            char c = out.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.replace(i, i + 1, String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
