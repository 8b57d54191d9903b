package org.tollgate.server.output.jsonl;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The members of a JSON object the normalizer has already written, as UTF-8 bytes: everything between its outer
 * braces, kept in the event's {@link Buffer}. Written with {@code JsonGenerator.writeRaw}, they are copied byte for
 * byte into the generator's buffer ({@link #appendUnquotedUTF8}); nothing is parsed or decoded on that path.
 *
 * <p>Only the unquoted (raw) forms mean anything here. The quoted forms, which would put the text inside a JSON
 * string, are answered from the decoded text for completeness and are never used by the jsonl output.
 */
final class JsonObjectMembers implements SerializableString {

    private final Buffer json;
    private final int from;
    private final int to;

    private JsonObjectMembers(Buffer json, int from, int to) {
        this.json = json;
        this.from = from;
        this.to = to;
    }

    /** The members of {@code json}, or null when it is not one object from '{' to '}'. */
    static JsonObjectMembers of(Buffer json) {
        int length = json.length();
        if (length < 2 || json.getByte(0) != '{' || json.getByte(length - 1) != '}') {
            return null;
        }
        return new JsonObjectMembers(json, 1, length - 1);
    }

    /** Bytes between the braces. */
    int length() {
        return to - from;
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        int length = to - from;
        if (offset + length > buffer.length) {
            return -1;
        }
        json.getBytes(from, to, buffer, offset);
        return length;
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return json.getBytes(from, to);
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        byte[] bytes = asUnquotedUTF8();
        out.write(bytes);
        return bytes.length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        int length = to - from;
        if (length > buffer.remaining()) {
            return -1;
        }
        buffer.put(asUnquotedUTF8());
        return length;
    }

    @Override
    public String getValue() {
        return new String(asUnquotedUTF8(), StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        String text = getValue();
        if (offset + text.length() > buffer.length) {
            return -1;
        }
        text.getChars(0, text.length(), buffer, offset);
        return text.length();
    }

    @Override
    public char[] asQuotedChars() {
        return quoted().asQuotedChars();
    }

    @Override
    public byte[] asQuotedUTF8() {
        return quoted().asQuotedUTF8();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        return quoted().appendQuotedUTF8(buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        return quoted().appendQuoted(buffer, offset);
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        return quoted().writeQuotedUTF8(out);
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
        return quoted().putQuotedUTF8(buffer);
    }

    private SerializedString quoted() {
        return new SerializedString(getValue());
    }

    @Override
    public String toString() {
        return getValue();
    }
}
