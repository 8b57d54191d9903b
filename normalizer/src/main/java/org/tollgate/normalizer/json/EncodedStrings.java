package org.tollgate.normalizer.json;

/**
 * The members {@code "name":"text"} last written for one field whose strings come again as the same objects (a
 * line's source file, which the prefix parser hands out from the strings it cut before), encoded once per string
 * and copied after: not escaped and encoded line after line. A slot per string's hash; a string is found only as the
 * very object stored (its hash is kept in it), so text that only looks the same is encoded anew, never mistaken.
 * Bounded ({@value #SLOTS} strings). Not thread-safe: one per writer.
 */
final class EncodedStrings {

    private static final int SLOTS = 32;

    private final byte[] name;
    private final String[] texts = new String[SLOTS];
    private final byte[][] members = new byte[SLOTS][];

    /** @param encodedName the field's name as {@link JsonOut#name} encodes it */
    EncodedStrings(byte[] encodedName) {
        this.name = encodedName;
    }

    /** Writes the member whose value is {@code text} into {@code json}, as {@link JsonOut#field(byte[], String)}. */
    void write(JsonOut json, String text) {
        int slot = text.hashCode() & (SLOTS - 1);
        if (texts[slot] != text) {
            byte[] member = JsonOut.member(name, text);
            if (member == null) { // a surrogate: the bytes of a line and of a text differ
                json.field(name, text);
                return;
            }
            texts[slot] = text;
            members[slot] = member;
        }
        json.members(members[slot]);
    }
}
