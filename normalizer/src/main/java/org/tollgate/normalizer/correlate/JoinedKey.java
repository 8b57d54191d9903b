package org.tollgate.normalizer.correlate;

import java.util.Objects;

/**
 * The text of two or three parts joined by line feeds ({@code "PJSIP\n192.0.2.1\n<Call-ID>"}) as a map key, without
 * joining them: equal to another exactly when their joined texts are equal, so a correlator keyed by it remembers and
 * forgets what it did when keyed by the joined string. Joining cost a copy of the parts and a hash over the copy on
 * every line of an attempt; a part's own string keeps its hash, and the lines of one event share their strings (the
 * Call-ID is hashed once for the session and the attempt it names).
 *
 * <p>Parts without a line feed are joined texts that split back into those very parts, so such keys are equal exactly
 * when their parts are. A part the sender wrote may hold a line feed (a Call-ID taken from a line with escapes): such
 * a key holds its joined text and is compared by it; it is never equal to one of plain parts, whose joined text has
 * fewer line feeds.
 */
final class JoinedKey {

    private final String first;
    private final String second;
    /** Null for a key of two parts, or one held as its joined text ({@code second} null too). */
    private final String third;
    private final int hash;

    private JoinedKey(String first, String second, String third, int hash) {
        this.first = first;
        this.second = second;
        this.third = third;
        this.hash = hash;
    }

    /** The key of {@code first + '\n' + second}. */
    static JoinedKey of(String first, String second) {
        if (first.indexOf('\n') >= 0 || second.indexOf('\n') >= 0) {
            return joined(first + '\n' + second);
        }
        return new JoinedKey(first, second, null, 31 * first.hashCode() + second.hashCode());
    }

    /** The key of {@code first + '\n' + second + '\n' + third}. */
    static JoinedKey of(String first, String second, String third) {
        if (first.indexOf('\n') >= 0 || second.indexOf('\n') >= 0 || third.indexOf('\n') >= 0) {
            return joined(first + '\n' + second + '\n' + third);
        }
        return new JoinedKey(first, second, third, (31 * first.hashCode() + second.hashCode()) * 31 + third.hashCode());
    }

    private static JoinedKey joined(String text) {
        return new JoinedKey(text, null, null, text.hashCode());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JoinedKey key && hash == key.hash && first.equals(key.first)
                && Objects.equals(second, key.second) && Objects.equals(third, key.third);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The joined text. */
    @Override
    public String toString() {
        return second == null ? first : third == null ? first + '\n' + second : first + '\n' + second + '\n' + third;
    }
}
