package org.tollgate.banner.config;

import java.time.Duration;
import java.util.Collection;

/**
 * A YAML scalar kept as the text the user wrote ({@code 10m}, {@code 5}, {@code true}), or {@code null} for an empty
 * value or {@code ~}. Conversions happen here so every key reports a bad value the same way.
 */
public record ConfigScalar(String path, String file, int line, String text) implements ConfigNode {

    @Override
    public String kind() {
        return "a scalar";
    }

    /** True for a key written without a value ({@code key:}), {@code ~}, {@code null} or {@code ""}. */
    public boolean isEmpty() {
        return text == null || text.isEmpty();
    }

    /** The text, or an error when the value is empty. */
    public String asString() {
        if (isEmpty()) {
            throw error("expected a value, was empty");
        }
        return text;
    }

    /** {@code true} or {@code false} in any letter case. */
    public boolean asBoolean() {
        if ("true".equalsIgnoreCase(text)) {
            return true;
        }
        if ("false".equalsIgnoreCase(text)) {
            return false;
        }
        throw error("expected true or false, was " + Echo.quote(text));
    }

    /** A whole number in {@code [min, max]}. */
    public int asInt(int min, int max) {
        long value;
        try {
            value = text == null ? Long.MIN_VALUE : Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = Long.MIN_VALUE;
        }
        if (value < min || value > max) {
            throw error("expected a whole number from " + min + " to " + max + ", was " + Echo.quote(text));
        }
        return (int) value;
    }

    /** A finite decimal number greater than 0. */
    public double asPositiveNumber() {
        double value;
        try {
            value = text == null ? Double.NaN : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        // parseDouble also takes "Infinity", "NaN" and hex floats; only plain decimals are meant here.
        if (!(value > 0) || Double.isInfinite(value) || !text.matches("[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
            throw error("expected a number greater than 0 such as 1 or 1.5, was " + Echo.quote(text));
        }
        return value;
    }

    /** A {@link Durations duration}; {@code -1} (permanent) only when {@code permanentAllowed}. */
    public Duration asDuration(boolean permanentAllowed) {
        try {
            return Durations.parse(text, permanentAllowed);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** One of {@code allowed}, in the letter case given there. */
    public String asOneOf(Collection<String> allowed) {
        if (text == null || !allowed.contains(text)) {
            throw error("expected one of " + String.join(", ", allowed) + ", was " + Echo.quote(text));
        }
        return text;
    }
}
