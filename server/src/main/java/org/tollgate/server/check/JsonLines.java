package org.tollgate.server.check;

import java.io.BufferedOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.json.EcsJsonWriter;

/** Writes results as JSON lines: security events only, or every line ({@code all}). */
public final class JsonLines implements Consumer<ParseResult>, Flushable {

    private final EcsJsonWriter writer = new EcsJsonWriter();
    private final OutputStream out;
    private final boolean all;

    public JsonLines(OutputStream out, boolean all) {
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.all = all;
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
