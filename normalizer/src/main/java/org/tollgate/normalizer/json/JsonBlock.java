package org.tollgate.normalizer.json;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A block of JSON lines that an {@link EcsJsonWriter} writes events into where they go, and that goes out whole in one
 * {@code write}: no line is written into a buffer of its own and copied from there (some 870 MB copied for a million
 * lines). Its array grows when a line does not fit; an owner that writes it out at a size keeps it near that size.
 * Not thread-safe: one writer thread fills and empties it.
 */
public final class JsonBlock {

    final JsonOut out;

    /** @param capacity the bytes the block holds before it grows: its size when written out, and a line's room more */
    public JsonBlock(int capacity) {
        this.out = new JsonOut(capacity);
    }

    /** The bytes written since the block was last emptied. */
    public int size() {
        return out.size();
    }

    /** The block's array: its first {@link #size()} bytes are whole lines, each ended by a line feed. */
    public byte[] bytes() {
        return out.bytes();
    }

    /** A line written already, its line feed included. */
    public void append(byte[] line) {
        out.rawBytes(line);
    }

    /** Drops what was written after the first {@code size} bytes (a line cut by an error). */
    public void cut(int size) {
        out.cut(size);
    }

    /** Writes the block to {@code target} in one {@code write} when it holds anything, and empties it. */
    public void drainTo(OutputStream target) throws IOException {
        if (out.size() > 0) {
            out.writeTo(target);
            out.cut(0);
        }
    }
}
