package org.tollgate.normalizer.json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * One JSON text written straight into a byte array as UTF-8, for {@link EcsJsonWriter}: names and constant values
 * come pre-encoded ({@link EncodedOnce}), strings are escaped as they are copied, and the commas between members follow
 * from what was written last.
 *
 * <p>Strings are escaped exactly as Jackson's {@code UTF8JsonGenerator.writeString} does with its defaults (what this
 * writer replaced): {@code "} and {@code \} with a backslash; {@code \b \t \n \f \r} so; the other characters below
 * U+0020 as {@code \\u00XX} (upper-case hex); DEL and every other character as its UTF-8 bytes, U+2028 and U+2029
 * included; except the surrogates: Jackson writes each UTF-16 surrogate, paired or alone, as a {@code \\uXXXX} escape
 * of its own, and so does this. Pre-encoded text ({@link EncodedOnce#quoted}) follows Jackson's
 * {@code SerializedString} instead: a surrogate pair as the 4-byte UTF-8 of its code point; a lone surrogate, which
 * Jackson refuses there with an exception, as a {@code \\uXXXX} escape; and so does a string written after
 * {@link #reset(boolean) reset(true)}, for {@link EcsJsonWriter#toJson}, whose text is then the one Jackson's character
 * generator gave.
 *
 * <p>Most strings are printable ASCII: they are copied with {@link String#getBytes(java.nio.charset.Charset)} (for a
 * Latin-1 string, a copy of its bytes) and one pass over the copy, not character by character; a plain line's message
 * and original, known to be ASCII, into arrays kept for them ({@link #asciiField}).
 */
final class JsonOut {

    /** The buffer a writer starts with, and goes back to after a line that needed more than {@link #KEPT}. */
    private static final int INITIAL = 8 * 1024;
    private static final int KEPT = 256 * 1024;

    private byte[] bytes;
    private int size;
    /** True when the next member or element is the first of its object or array (or the value after a name). */
    private boolean first = true;
    /** True to write a surrogate pair as the UTF-8 of its code point rather than as two escapes. */
    private boolean pairsAsUtf8;
    /** The string {@link #keptField} wrote since the last {@link #reset}, or null, and its escaped bytes' place. */
    private String kept;
    private int keptFrom;
    private int keptTo;
    /**
     * The Latin-1 bytes of {@link #kept} when they are its characters one for one (all ASCII, no {@code ?}), else
     * null: an original that ends with them ends with the kept string, told by comparing bytes eight at a time.
     */
    private byte[] keptAscii;
    /** The characters of {@link #keptAscii}, its first bytes (an array used again for each line's message). */
    private int keptLength;
    /**
     * The characters of a text known to be ASCII, a byte each, copied here to be escaped from ({@link #asciiField}):
     * one array for every such text, not one each; another for the kept one.
     */
    private byte[] asciiChars = new byte[256];
    private byte[] keptChars = new byte[256];
    /** Set by {@link #ascii} when it copied a {@code ?}: a byte that may have stood for another character. */
    private final boolean[] copiedQuestionMark = new boolean[1];

    /** A buffer for one text at a time ({@link #reset}). */
    JsonOut() {
        this(INITIAL);
    }

    /** A buffer of {@code capacity} bytes, for a block of lines ({@link JsonBlock}) among others. */
    JsonOut(int capacity) {
        bytes = new byte[capacity];
    }

    /** Empties the buffer for the next text, letting go of a large one. */
    void reset() {
        reset(false);
    }

    /**
     * As {@link #reset()}, with surrogate pairs in strings written as the 4-byte UTF-8 of their code point when
     * {@code pairsAsUtf8}: the text Jackson's character generator gave, where a pair stays the two chars it is.
     */
    void reset(boolean pairsAsUtf8) {
        if (bytes.length > KEPT) {
            bytes = new byte[INITIAL];
        }
        size = 0;
        startLine();
        this.pairsAsUtf8 = pairsAsUtf8;
    }

    /**
     * Starts the next line after those written, in a block of lines: a value of its own with nothing kept from the
     * lines before, and the bytes {@link #reset()} would write.
     */
    void startLine() {
        first = true;
        kept = null;
        keptAscii = null;
        pairsAsUtf8 = false;
    }

    /** Drops what was written after the first {@code size} bytes; the next text starts a line. */
    void cut(int size) {
        this.size = size;
        startLine();
    }

    int size() {
        return size;
    }

    byte[] bytes() {
        return bytes;
    }

    /** Bytes written already (whole lines), outside any value. */
    void rawBytes(byte[] encoded) {
        append(encoded);
    }

    /** Hands the text written since {@link #reset} to {@code out}. */
    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    /** The text written since {@link #reset}. */
    String text() {
        return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }

    /** A raw byte outside any value: a line feed after the text. */
    void raw(char ascii) {
        ensure(1);
        bytes[size++] = (byte) ascii;
    }

    void startObject() {
        separate();
        ensure(1);
        bytes[size++] = '{';
        first = true;
    }

    void endObject() {
        ensure(1);
        bytes[size++] = '}';
        first = false;
    }

    void startArray() {
        separate();
        ensure(1);
        bytes[size++] = '[';
        first = true;
    }

    void endArray() {
        ensure(1);
        bytes[size++] = ']';
        first = false;
    }

    /** A member's name, given as {@link EncodedOnce#name} encoded it; its value comes next. */
    void name(byte[] encodedName) {
        member(encodedName);
        first = true; // no comma before the value
    }

    /**
     * A member: its name, then its value. One method for the member most written, rather than a call for each part
     * (the comma and name, the quotes, the copy, the scan): under the first compiler, which inlines a callee of up to
     * 35 bytecodes alone, each part was a call. Its length (over 100 bytecodes, the service's {@code FreqInlineSize})
     * keeps the second compiler calling it, compiled once, rather than copying it and the string's encoding into each
     * of the writer's call sites: the writer's methods were tens of kilobytes of code, compiled for seconds.
     */
    void field(byte[] encodedName, String text) {
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1); // see escaped(String)
        int chars = text.length();
        int nameLength = encodedName.length;
        int room = nameLength + 6 * chars + 3;
        if (bytes.length - size < room) {
            ensure(room);
        }
        byte[] out = bytes;
        int at = size;
        if (!first) {
            out[at++] = ',';
        }
        first = false;
        System.arraycopy(encodedName, 0, out, at, nameLength);
        at += nameLength;
        out[at++] = '"';
        int length = latin1.length;
        if (length == chars && PlainRuns.end(latin1, 0, length) == length) { // the usual value: one copy
            System.arraycopy(latin1, 0, out, at, length);
            at += length;
        } else {
            size = at;
            escaped(text, latin1, length);
            at = size;
        }
        out = bytes;
        out[at] = '"';
        size = at + 1;
    }

    /**
     * A member whose value is the string {@code prefix} followed by the digits of {@code number} (not negative): the
     * bytes {@code field(encodedName, prefix + number)} writes, without making that string.
     */
    void field(byte[] encodedName, String prefix, long number) {
        member(encodedName);
        string(prefix);
        size--; // the closing quote goes after the digits
        number(number);
        ensure(1);
        bytes[size++] = '"';
    }

    /** A member whose value {@link EncodedOnce#quoted} encoded. */
    void field(byte[] encodedName, byte[] encodedValue) {
        member(encodedName);
        append(encodedValue);
    }

    void field(byte[] encodedName, long number) {
        member(encodedName);
        number(number);
    }

    void field(byte[] encodedName, boolean bool) {
        member(encodedName);
        bool(bool);
    }

    /** A member whose value is an object, opened here. */
    void startObject(byte[] encodedName) {
        member(encodedName);
        ensure(1);
        bytes[size++] = '{';
        first = true;
    }

    /** A member whose value is an array, opened here. */
    void startArray(byte[] encodedName) {
        member(encodedName);
        ensure(1);
        bytes[size++] = '[';
        first = true;
    }

    /**
     * Members encoded once ({@link EncodedOnce#members}), such as an object's fixed head or the observer's fields: the
     * comma before them if they are not the first, then their bytes in one copy rather than a call per name and value.
     */
    void members(byte[] encodedMembers) {
        member(encodedMembers);
    }

    /**
     * A member whose value is a string encoded once ({@link EncodedOnce#openString}) followed by the digits of
     * {@code number} (not negative): {@code "id":"/var/log/asterisk/full:1234"} for a file source's {@code event.id}.
     */
    void fieldEndingWithNumber(byte[] encodedNameAndOpenString, long number) {
        member(encodedNameAndOpenString);
        number(number);
        ensure(1);
        bytes[size++] = '"';
    }

    /** The comma before a member if it is not the first, and its name: one call where the writer spends most. */
    private void member(byte[] encodedName) {
        int length = encodedName.length;
        if (bytes.length - size <= length) {
            ensure(length + 1);
        }
        if (!first) {
            bytes[size++] = ',';
        }
        first = false;
        System.arraycopy(encodedName, 0, bytes, size, length);
        size += length;
    }

    /** A value {@link EncodedOnce#quoted} encoded. */
    void value(byte[] encodedValue) {
        separate();
        append(encodedValue);
    }

    void value(long number) {
        separate();
        number(number);
    }

    private void number(long number) {
        ensure(20);
        if (number == Long.MIN_VALUE) {
            append(Long.toString(number).getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (number < 0) {
            bytes[size++] = '-';
            number = -number;
        }
        int end = size + digits(number);
        int i = end;
        if (number <= Integer.MAX_VALUE) { // most numbers (a sequence, a pid, an offset): see tenth
            int rest = (int) number;
            for (int next = tenth(rest); next != 0; rest = next, next = tenth(rest)) {
                bytes[--i] = (byte) ('0' + rest - next * 10);
            }
            bytes[--i] = (byte) ('0' + rest);
        } else {
            for (long next = number / 10; next != 0; number = next, next = number / 10) {
                bytes[--i] = (byte) ('0' + number - next * 10);
            }
            bytes[--i] = (byte) ('0' + number);
        }
        size = end;
    }

    /**
     * {@code value / 10} for a value from 0 to {@code Integer.MAX_VALUE}, as a multiplication by 2^35 / 10 (rounded
     * up) and a shift, exact for every value below 2^32: the first compiler leaves a division by a constant a division,
     * some twenty cycles a digit.
     */
    static int tenth(int value) {
        return (int) ((value * 0xCCCCCCCDL) >>> 35);
    }

    /** The number of decimal digits of {@code number} (not negative), by comparisons. */
    private static int digits(long number) {
        int digits = 1;
        for (long power = 10; digits < 19 && number >= power; power *= 10) {
            digits++;
        }
        return digits;
    }

    /** As Jackson writes a double: {@link Double#toString}, in quotes when it is not a finite number. */
    void value(double number) {
        String text = Double.toString(number);
        if (Double.isFinite(number)) {
            separate();
            append(text.getBytes(StandardCharsets.US_ASCII));
        } else {
            value(text);
        }
    }

    void value(boolean bool) {
        separate();
        bool(bool);
    }

    private void bool(boolean bool) {
        ensure(5);
        if (bool) {
            bytes[size++] = 't';
            bytes[size++] = 'r';
            bytes[size++] = 'u';
            bytes[size++] = 'e';
        } else {
            bytes[size++] = 'f';
            bytes[size++] = 'a';
            bytes[size++] = 'l';
            bytes[size++] = 's';
            bytes[size++] = 'e';
        }
    }

    /** A string value, quoted and escaped (see the class comment): an element of an array. */
    void value(String text) {
        separate();
        string(text);
    }

    /** An instant as {@link IsoInstant} writes it, in quotes. */
    void value(Instant instant, IsoInstant format) {
        separate();
        ensure(IsoInstant.LENGTH + 2);
        int end = format.write(instant, bytes, size + 1);
        if (end < 0) {
            string(instant.toString());
            return;
        }
        bytes[size] = '"';
        bytes[end] = '"';
        size = end + 1;
    }

    private void string(String text) {
        ensure(6 * text.length() + 2);
        bytes[size++] = '"';
        escaped(text);
        bytes[size++] = '"';
    }

    /**
     * A member whose value is {@code text}, as {@link #field(byte[], String)} writes it; its escaped characters are
     * kept in the buffer for {@link #fieldEndingWithKept} until the next {@link #reset}: a line's message, which its
     * original text ends with.
     */
    void keptField(byte[] encodedName, String text) {
        member(encodedName);
        ensure(6 * text.length() + 2);
        bytes[size++] = '"';
        keptFrom = size;
        copiedQuestionMark[0] = false;
        byte[] latin1 = escaped(text);
        keptTo = size;
        bytes[size++] = '"';
        kept = text;
        keptAscii = latin1 != null && !copiedQuestionMark[0] ? latin1 : null;
        keptLength = text.length();
    }

    /**
     * As {@link #keptField} for a {@code text} known to hold ASCII characters alone (a plain line's message,
     * {@code ParseResult.Parsed#asciiText}): as {@link #asciiField}, kept for {@link #asciiFieldEndingWithKept}.
     */
    void asciiKeptField(byte[] encodedName, String text) {
        keptChars = asciiChars(text, keptChars);
        member(encodedName);
        ensure(6 * text.length() + 2);
        bytes[size++] = '"';
        keptFrom = size;
        boolean ascii = escaped(text, keptChars, text.length()) != null;
        keptTo = size;
        bytes[size++] = '"';
        kept = text;
        keptAscii = ascii ? keptChars : null; // a '?' of an ASCII text is one
        keptLength = text.length();
    }

    /**
     * As {@link #field(byte[], String)} for a {@code text} known to hold ASCII characters alone (a plain line's,
     * {@code ParseResult.Parsed#asciiText}): its characters are copied a byte each (exact for ASCII) into an array kept
     * for the purpose, and escaped from there, without an array made for each text as {@code getBytes} makes. A byte
     * that is not ASCII (a broken promise) has the text written character by character instead.
     */
    void asciiField(byte[] encodedName, String text) {
        asciiChars = asciiChars(text, asciiChars);
        member(encodedName);
        string(text, asciiChars, text.length());
    }

    /**
     * As {@link #fieldEndingWithKept} for a {@code text} known to hold ASCII characters alone, after a message written
     * by {@link #asciiKeptField}: a line's original, whose end is the message's bytes, copied.
     */
    void asciiFieldEndingWithKept(byte[] encodedName, String text) {
        if (keptAscii == null) {
            fieldEndingWithKept(encodedName, text);
            return;
        }
        asciiChars = asciiChars(text, asciiChars);
        endingWithKeptAscii(encodedName, text, asciiChars, text.length());
    }

    /** {@code into}, or a larger array, holding the low byte of each character of {@code text} first. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): each char's low byte, ASCII's own
    private static byte[] asciiChars(String text, byte[] into) {
        int length = text.length();
        byte[] chars = into.length >= length ? into : new byte[Math.max(length, 2 * into.length)];
        text.getBytes(0, length, chars, 0);
        return chars;
    }

    /**
     * As {@link #field(byte[], String)}; when {@code text} ends with the string {@link #keptField} wrote, that part's
     * escaped bytes are copied from where they were written rather than escaped again. The same bytes: a character's
     * escape does not depend on the characters around it, but for a surrogate pair written as one code point
     * ({@link #reset(boolean) reset(true)}), so a pair the suffix would split is written whole instead.
     */
    void fieldEndingWithKept(byte[] encodedName, String text) {
        if (keptAscii != null) {
            endingWithKeptAscii(encodedName, text);
            return;
        }
        String suffix = kept;
        int head = suffix == null ? -1 : text.length() - suffix.length();
        if (head < 0 || !text.endsWith(suffix) || pairsAsUtf8 && head > 0 && head < text.length()
                && Character.isHighSurrogate(text.charAt(head - 1)) && Character.isLowSurrogate(text.charAt(head))) {
            field(encodedName, text);
            return;
        }
        member(encodedName);
        int span = keptTo - keptFrom;
        ensure(6 * head + span + 2);
        bytes[size++] = '"';
        if (head > 0) {
            escaped(text.substring(0, head));
        }
        System.arraycopy(bytes, keptFrom, bytes, size, span);
        size += span;
        bytes[size++] = '"';
    }

    /**
     * As {@link #fieldEndingWithKept} when the kept string's bytes are its characters ({@link #keptAscii}): whether
     * {@code text} ends with it is told from their Latin-1 bytes. Those of {@code text} there are the same ASCII bytes
     * only where its characters are those characters: a character Latin-1 lacks would be a {@code ?}, which the kept
     * bytes do not hold, and a Latin-1 character not ASCII a negative byte.
     */
    private void endingWithKeptAscii(byte[] encodedName, String text) {
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);
        endingWithKeptAscii(encodedName, text, latin1, latin1.length);
    }

    /** As {@link #endingWithKeptAscii(byte[], String)}, the Latin-1 bytes of {@code text} the first {@code length}. */
    private void endingWithKeptAscii(byte[] encodedName, String text, byte[] latin1, int length) {
        byte[] suffix = keptAscii;
        int suffixLength = keptLength;
        int head = length - suffixLength;
        member(encodedName);
        if (head < 0 || !PlainRuns.same(latin1, head, suffix, 0, suffixLength)) {
            string(text, latin1, length);
            return;
        }
        int headChars = text.length() - suffixLength; // the suffix is one byte a character: the rest is the head
        int span = keptTo - keptFrom;
        ensure(6 * headChars + span + 2);
        bytes[size++] = '"';
        int start = size;
        if (length != text.length() || !ascii(latin1, head, text)) {
            size = start;
            chars(text, 0, headChars); // the head ends before an ASCII character: no pair is split
        }
        System.arraycopy(bytes, keptFrom, bytes, size, span);
        size += span;
        bytes[size++] = '"';
    }

    /** {@code text} quoted and escaped, its {@code getBytes(ISO_8859_1)} the first {@code length} of {@code latin1}. */
    private void string(String text, byte[] latin1, int length) {
        ensure(6 * text.length() + 2);
        bytes[size++] = '"';
        escaped(text, latin1, length);
        bytes[size++] = '"';
    }

    /**
     * {@code text} escaped, without quotes, into room the caller ensured (six bytes a character).
     *
     * @return the Latin-1 bytes of {@code text} when they were copied and escaped as they are (all ASCII), else null
     */
    private byte[] escaped(String text) {
        // A Latin-1 string's own bytes; for another, '?' where Latin-1 has no character (one '?' for a pair).
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);
        return escaped(text, latin1, latin1.length);
    }

    private byte[] escaped(String text, byte[] latin1, int length) {
        int start = size;
        if (length != text.length() || !ascii(latin1, length, text)) {
            size = start;
            chars(text, 0, text.length());
            return null;
        }
        return latin1;
    }

    /** {@link JsonEscapes#ascii} at the end of the buffer: false, having written part of it, when not all ASCII. */
    private boolean ascii(byte[] latin1, int length, String text) {
        int end = JsonEscapes.ascii(latin1, length, text, bytes, size, copiedQuestionMark);
        if (end < 0) { // NOT_ASCII, compared with zero: 35 bytecodes, which the first compiler inlines
            return false;
        }
        size = end;
        return true;
    }

    /** {@link JsonEscapes#chars} at the end of the buffer. */
    private void chars(String text, int from, int to) {
        size = JsonEscapes.chars(text, from, to, pairsAsUtf8, bytes, size);
    }

    /** Before a value: the comma after the previous member or element, if any. */
    private void separate() {
        if (first) {
            first = false;
        } else {
            ensure(1);
            bytes[size++] = ',';
        }
    }

    private void append(byte[] encoded) {
        ensure(encoded.length);
        System.arraycopy(encoded, 0, bytes, size, encoded.length);
        size += encoded.length;
    }

    private void ensure(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
