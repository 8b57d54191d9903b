package org.tollgate.server.check;

import java.io.BufferedOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.normalizer.json.JsonBlock;

/**
 * Writes results as JSON lines: security events only, or every line ({@code all}). The lines are written straight
 * into a block ({@link JsonBlock}) that goes out in one {@code write(2)} once it holds {@link #BLOCK_BYTES}, not one
 * per line: the caller flushes at the end and whenever its input stalls, so a reader of a live pipe is never kept
 * waiting for a block to fill.
 */
public final class JsonLines implements Consumer<ParseResult>, Flushable {

    /** The size of the blocks written: many times a pipe's 64 KiB, so a fast reader drains whole pipes. */
    public static final int BLOCK_BYTES = 1 << 20;

    private final EcsJsonWriter writer = new EcsJsonWriter();
    /** Room for the line that takes the block past its size. */
    private final JsonBlock block = new JsonBlock(BLOCK_BYTES + BLOCK_BYTES / 8);
    private final OutputStream out;
    private final boolean all;

    public JsonLines(OutputStream out, boolean all) {
        this.out = out;
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
        writer.writeLine(result, null, null, -1, block);
        if (block.size() >= BLOCK_BYTES) {
            try {
                block.drainTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        block.drainTo(out);
        out.flush();
    }
}
