package org.tollgate.normalizer.json;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * JSON encoded once, for {@link JsonOut} to copy line after line in one call: a member's name, a constant value, a run
 * of members, the start of a string a number ends. As {@link JsonOut} says, a string encoded once has a surrogate pair
 * as the 4-byte UTF-8 of its code point (Jackson's {@code SerializedString}), where a line's string has an escape for
 * each half: so {@link #member} and {@link #openString}, which stand for a line's bytes, refuse a surrogate.
 */
final class EncodedOnce {

    private EncodedOnce() {
    }

    /**
     * The members {@code writes} writes into an object, encoded once for {@link JsonOut#members(byte[])}: the same
     * bytes as those calls make in a line as long as every string among them is given encoded ({@link #quoted}).
     */
    static byte[] members(Consumer<JsonOut> writes) {
        JsonOut out = new JsonOut();
        out.reset(true);
        writes.accept(out);
        return Arrays.copyOf(out.bytes(), out.size());
    }

    /**
     * {@code "name":"text} without the closing quote, for {@link JsonOut#fieldEndingWithNumber}: the bytes
     * {@link JsonOut#field(byte[], String, long)} writes before the digits; null when {@code text} holds a surrogate.
     */
    static byte[] openString(byte[] encodedName, String text) {
        byte[] member = member(encodedName, text);
        return member == null ? null : Arrays.copyOf(member, member.length - 1);
    }

    /**
     * {@code "name":"text"}, for {@link JsonOut#members(byte[])}: the bytes {@link JsonOut#field(byte[], String)}
     * writes; null when {@code text} holds a surrogate.
     */
    static byte[] member(byte[] encodedName, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return null;
            }
        }
        byte[] quoted = quoted(text);
        byte[] member = Arrays.copyOf(encodedName, encodedName.length + quoted.length);
        System.arraycopy(quoted, 0, member, encodedName.length, quoted.length);
        return member;
    }

    /** {@code "name":}, encoded once. */
    static byte[] name(String name) {
        byte[] quoted = quoted(name);
        byte[] named = Arrays.copyOf(quoted, quoted.length + 1);
        named[quoted.length] = ':';
        return named;
    }

    /**
     * {@code text} as a quoted JSON string, encoded once for many uses: as {@link JsonOut#value(String)} writes it
     * after {@link JsonOut#reset(boolean) reset(true)}, a surrogate pair as its code point.
     */
    static byte[] quoted(String text) {
        JsonOut out = new JsonOut(6 * text.length() + 2); // not a line's 8 KiB: a string's encoded when first seen
        out.reset(true);
        out.value(text);
        return Arrays.copyOf(out.bytes(), out.size());
    }
}
