package org.tollgate.server.check;

import java.io.BufferedOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.json.EcsJsonWriter;

/**
 * Writes results as JSON lines: security events only, or every line ({@code all}). The lines go out in large blocks
 * (one {@code write(2)} per {@link #BLOCK_BYTES}, not one per line): the caller flushes at the end and whenever its
 * input stalls, so a reader of a live pipe is never kept waiting for a block to fill.
 */
public final class JsonLines implements Consumer<ParseResult>, Flushable {

    /** The size of the blocks written: several times a pipe's 64 KiB, so a fast reader drains whole pipes. */
    public static final int BLOCK_BYTES = 256 * 1024;

    private final EcsJsonWriter writer = new EcsJsonWriter();
    private final OutputStream out;
    private final boolean all;

    public JsonLines(OutputStream out, boolean all) {
        this.out = inBlocks(out);
        this.all = all;
    }

    /** {@code out} behind a buffer of {@link #BLOCK_BYTES}: bytes reach it in blocks and on {@code flush()}. */
    public static OutputStream inBlocks(OutputStream out) {
        return new BufferedOutputStream(out, BLOCK_BYTES);
    }

    @Override
    public void accept(ParseResult result) {
        boolean security = result instanceof ParseResult.Parsed parsed && parsed.event().isSecurity();
        if (!all && !security) {
            return;
        }
        try {
            writer.writeLine(result, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
