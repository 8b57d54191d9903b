package org.tollgate.normalizer.message;

/** Why a security message that names a source address gives none a jail could count ({@code asterisk.source_problem}). */
public enum SourceProblem {
    /**
     * The text where Asterisk writes the address is not an IP literal: redacted in a posted log ({@code 67.228.xxx.xx}),
     * or otherwise mangled. The raw text is kept as {@code source.address}.
     */
    UNREADABLE("unreadable"),
    /**
     * The sender's text makes the line read two ways with different addresses, and nothing else in the log says which
     * is the real one. The candidates are kept in {@code related.ip}; none is trusted.
     */
    AMBIGUOUS("ambiguous");

    private final String id;

    SourceProblem(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
