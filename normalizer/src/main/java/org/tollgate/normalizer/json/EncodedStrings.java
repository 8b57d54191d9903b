package org.tollgate.normalizer.json;

/**
 * The members {@code "name":"text"} last written for one field whose strings come again (a line's source file, one
 * of a few), encoded once per string and copied after: not escaped and encoded line after line. Two slots per
 * string's hash, the one last stored first, and a string found there by its text: with one slot and the very object
 * alone, one line in seven of the bench log encoded its file anew (the prefix parser hands out new objects of the
 * same text, and chan_sip.c and bridge_channel.c shared a slot), and now one in sixteen thousand. Text that is the same is
 * the same bytes, but for a surrogate, whose bytes differ between a line and a text: such a string is never stored.
 * Bounded ({@value #SLOTS} strings). Not thread-safe: one per writer.
 */
final class EncodedStrings {

    private static final int SLOTS = 128;

    private final byte[] name;
    private final String[] texts = new String[SLOTS];
    private final byte[][] members = new byte[SLOTS][];

    /** @param encodedName the field's name as {@link EncodedOnce#name} encodes it */
    EncodedStrings(byte[] encodedName) {
        this.name = encodedName;
    }

    /** Writes the member whose value is {@code text} into {@code json}, as {@link JsonOut#field(byte[], String)}. */
    void write(JsonOut json, String text) {
        int hash = text.hashCode();
        int slot = ((hash ^ (hash >>> 16)) << 1) & (SLOTS - 2);
        if (texts[slot] == text || text.equals(texts[slot])) {
            json.members(members[slot]);
        } else if (texts[slot + 1] == text || text.equals(texts[slot + 1])) {
            json.members(members[slot + 1]);
        } else {
            store(json, text, slot);
        }
    }

    /** Encodes {@code text}, writes it and keeps it first of its two slots. */
    private void store(JsonOut json, String text, int slot) {
        byte[] member = EncodedOnce.member(name, text);
        if (member == null) { // a surrogate: the bytes of a line and of a text differ
            json.field(name, text);
            return;
        }
        texts[slot + 1] = texts[slot];
        members[slot + 1] = members[slot];
        texts[slot] = text;
        members[slot] = member;
        json.members(member);
    }
}
