package org.tollgate.server.adopt.patches;

import java.util.Arrays;

/**
 * An Asterisk release number such as {@code 1.8.32.3}, {@code 11.25.3} or {@code 20.7.0}, compared part by part.
 *
 * @param parts the numbers between the dots
 */
record AsteriskVersion(int[] parts) implements Comparable<AsteriskVersion> {

    /** The series every release number belongs to: {@code 1.4}, {@code 1.6.2}, {@code 1.8}, then the major number. */
    static final String[] SERIES = {"1.2", "1.4", "1.6.0", "1.6.1", "1.6.2", "1.8", "10", "11", "12", "13", "14", "15",
        "16", "17", "18", "19", "20", "21", "22", "23"};

    /** {@code 1.8.32.3}; null when {@code text} is not dotted numbers. */
    static AsteriskVersion parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 24) {
            return null;
        }
        String[] fields = text.split("\\.", -1);
        int[] parts = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].isEmpty() || fields[i].length() > 4 || !fields[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            parts[i] = Integer.parseInt(fields[i]);
        }
        return new AsteriskVersion(parts);
    }

    /** The series of this release ({@link #SERIES}), e.g. {@code 1.6.2} for 1.6.2.24, {@code 18} for 18.20.1. */
    String series() {
        if (parts[0] == 1 && parts.length > 1) {
            if (parts[1] == 6 && parts.length > 2) {
                return "1.6." + parts[2];
            }
            return "1." + parts[1];
        }
        return Integer.toString(parts[0]);
    }

    /** Compares the first {@code count} parts, missing parts filled with {@code fill}. */
    int compareTo(AsteriskVersion other, int fill, int otherFill) {
        int length = Math.max(parts.length, other.parts.length);
        for (int i = 0; i < length; i++) {
            int a = i < parts.length ? parts[i] : fill;
            int b = i < other.parts.length ? other.parts[i] : otherFill;
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return 0;
    }

    @Override
    public int compareTo(AsteriskVersion other) {
        return compareTo(other, 0, 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AsteriskVersion version && Arrays.equals(parts, version.parts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parts);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            text.append(i == 0 ? "" : ".").append(parts[i]);
        }
        return text.toString();
    }
}
