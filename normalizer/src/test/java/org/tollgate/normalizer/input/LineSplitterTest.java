package org.tollgate.normalizer.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineSplitterTest {

    private record Line(String text, boolean truncated) {
    }

    private static List<Line> split(byte[] input, int chunkSize, int maxLineBytes) {
        List<Line> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(maxLineBytes, (text, truncated) -> lines.add(new Line(text, truncated)));
        for (int offset = 0; offset < input.length; offset += chunkSize) {
            splitter.feed(input, offset, Math.min(chunkSize, input.length - offset));
            assertThat(splitter.heldBytes()).isLessThanOrEqualTo(maxLineBytes);
        }
        splitter.finish();
        return lines;
    }

    private static List<String> texts(List<Line> lines) {
        return lines.stream().map(Line::text).toList();
    }

    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {1, 7, 4096})
    void crlfLinesKeepTheirCarriageReturnForTheNormalizer(int chunk) {
        byte[] input = ("[Jan 18 17:39:50] NOTICE[1] chan_sip.c: a\r\n"
                + "[Jan 18 17:39:51] NOTICE[1] chan_sip.c: b\r\n"
                + "\r\n"
                + "\n"
                + "last").getBytes(StandardCharsets.UTF_8);
        assertThat(split(input, chunk, LineSplitter.DEFAULT_MAX_LINE_BYTES)).containsExactly(
                new Line("[Jan 18 17:39:50] NOTICE[1] chan_sip.c: a\r", false),
                new Line("[Jan 18 17:39:51] NOTICE[1] chan_sip.c: b\r", false),
                new Line("\r", false),
                new Line("", false),
                new Line("last", false));
    }

    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {1, 7, 4096})
    void multibyteCharactersSplitAcrossChunksAreDecodedWhole(int chunk) {
        byte[] input = "J\u00fcrgen \u2603 \uD83D\uDE00 caf\u00e9\nzweite Zeile \u00df\n".getBytes(StandardCharsets.UTF_8);
        assertThat(texts(split(input, chunk, 1024))).containsExactly("J\u00fcrgen \u2603 \uD83D\uDE00 caf\u00e9", "zweite Zeile \u00df");
    }

    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {1, 7, 4096})
    void invalidUtf8BecomesReplacementCharacters(int chunk) {
        byte[] input = {'a', (byte) 0xff, 'b', (byte) 0xc3, '\n', (byte) 0xe2, (byte) 0x82, 'c', '\n', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '\n'};
        List<String> lines = texts(split(input, chunk, 1024));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(lines.get(1)).isEqualTo("\uFFFDc");
        assertThat(lines.get(2)).doesNotContain("\uD800").contains("\uFFFD");
    }

    @Test
    void aFinalLineWithoutLineFeedComesOutOnFinish() {
        List<Line> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(1024, (text, truncated) -> lines.add(new Line(text, truncated)));
        byte[] input = "one\ntwo".getBytes(StandardCharsets.UTF_8);
        splitter.feed(input, 0, input.length);
        assertThat(texts(lines)).containsExactly("one");
        assertThat(splitter.pendingBytes()).isEqualTo(3);
        splitter.finish();
        assertThat(texts(lines)).containsExactly("one", "two");
        splitter.finish();
        assertThat(lines).as("finish twice emits nothing more").hasSize(2);
    }

    @Test
    void nulBytesAreKeptForTheNormalizerToClean() {
        byte[] input = {'a', 0, 'b', '\n', 0, 0, 0, '\n'};
        assertThat(texts(split(input, 3, 1024))).containsExactly("a\u0000b", "\u0000\u0000\u0000");
    }

    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {1, 7, 4096, 1 << 20})
    void aMegabyteLineKeepsItsHeadAndTailAndTheNextLineIsWhole(int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] huge = new byte[1 << 20];
        Arrays.fill(huge, (byte) 'A');
        out.writeBytes("[Jan 18 17:39:50] NOTICE[1] chan_sip.c: ".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(huge);
        out.writeBytes("' failed for '192.0.2.7:5060' - Wrong password\nnext line\n".getBytes(StandardCharsets.UTF_8));
        int max = LineSplitter.DEFAULT_MAX_LINE_BYTES;
        List<Line> lines = split(out.toByteArray(), chunk, max);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).truncated()).isTrue();
        assertThat(lines.get(0).text()).hasSize(max + LineBuffer.CUT.length())
                .startsWith("[Jan 18 17:39:50] NOTICE[1]").contains("AAA" + LineBuffer.CUT + "AAA")
                .endsWith("AAA' failed for '192.0.2.7:5060' - Wrong password");
        assertThat(lines.get(1)).isEqualTo(new Line("next line", false));
    }

    @Test
    void aLineOfExactlyTheLimitIsNotTruncated() {
        byte[] input = new byte[17];
        Arrays.fill(input, (byte) 'x');
        input[16] = '\n';
        assertThat(split(input, 5, 16)).containsExactly(new Line("x".repeat(16), false));
        byte[] longer = Arrays.copyOf(input, 18);
        longer[16] = 'y';
        longer[17] = '\n';
        assertThat(split(longer, 5, 16)).containsExactly(new Line("x".repeat(8) + LineBuffer.CUT + "x".repeat(7) + "y", true));
    }

    @Test
    void anUnfinishedHugeLineIsTruncatedOnFinishAndHeldMemoryStaysBounded() {
        List<Line> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(1000, (text, truncated) -> lines.add(new Line(text, truncated)));
        byte[] chunk = new byte[4096];
        Arrays.fill(chunk, (byte) 'z');
        for (int i = 0; i < 256; i++) {
            splitter.feed(chunk, 0, chunk.length);
            assertThat(splitter.heldBytes()).isLessThanOrEqualTo(1000);
            assertThat(splitter.pendingBytes()).as("where the line started").isEqualTo((i + 1L) * chunk.length);
        }
        splitter.finish();
        assertThat(lines).containsExactly(new Line("z".repeat(500) + LineBuffer.CUT + "z".repeat(500), true));
    }

    @Test
    void feedingAPartOfAnArrayReadsOnlyThatPart() {
        byte[] input = "xxhello\nyy".getBytes(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(64, (text, truncated) -> lines.add(text));
        splitter.feed(input, 2, 6);
        splitter.feed(input, 0, 0);
        splitter.finish();
        assertThat(lines).containsExactly("hello");
    }

    @Test
    void theLimitMustHoldAHeadAndATail() {
        assertThatThrownBy(() -> new LineSplitter(0, (text, truncated) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLineBytes").hasMessageContaining("0");
    }

    /**
     * Lines that lie whole in a chunk are decoded from it directly, the others through the line buffer: the lines are
     * the same whichever way the bytes are cut, and the same as a plain reference cut of the whole input.
     */
    @Property(tries = 300)
    void theLinesAreTheSameHoweverTheInputIsChunked(@ForAll("bytesWithLineFeeds") byte[] input,
                                                    @ForAll @IntRange(min = 1, max = 300) int chunk,
                                                    @ForAll @IntRange(min = 2, max = 64) int maxLineBytes) {
        List<Line> expected = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length && i == start) {
                break;
            }
            if (i == input.length || input[i] == '\n') {
                int length = i - start;
                expected.add(new Line(new String(input, start, Math.min(length, maxLineBytes), StandardCharsets.UTF_8),
                        length > maxLineBytes));
                start = i + 1;
            }
        }

        List<Line> whole = split(input, input.length + 1, maxLineBytes);
        assertThat(split(input, chunk, maxLineBytes)).isEqualTo(whole);
        assertThat(whole).hasSameSizeAs(expected);
        for (int i = 0; i < whole.size(); i++) {
            if (expected.get(i).truncated()) {
                assertThat(whole.get(i).truncated()).isTrue(); // its head and tail kept: LineBufferTest
            } else {
                assertThat(whole.get(i)).isEqualTo(expected.get(i));
            }
        }
    }

    @Provide
    Arbitrary<byte[]> bytesWithLineFeeds() {
        Arbitrary<Byte> bytes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just((byte) '\n')),
                net.jqwik.api.Tuple.of(8, Arbitraries.bytes()),
                net.jqwik.api.Tuple.of(8, Arbitraries.bytes().between((byte) 'a', (byte) 'z')));
        return bytes.array(byte[].class).ofMaxSize(600);
    }

    /**
     * With a shortcut, each line that arrives whole in one chunk is offered to it, with its place in the stream and
     * whether it is plain text, found in the same word-at-a-time pass that finds its end; the lines it declines, and
     * the others, come to the consumer as without it. The input mixes plain text with every byte that ends plainness
     * (and the bytes next to them), at every place in an eight-byte word, at line starts and ends, across chunks.
     */
    @Property(tries = 1000)
    void theShortcutSeesEachWholeLineAndWhetherItIsPlainText(@ForAll("textWithStops") byte[] input,
                                                             @ForAll @IntRange(min = 1, max = 200) int chunk,
                                                             @ForAll @IntRange(min = 2, max = 80) int maxLineBytes) {
        List<Line> all = new ArrayList<>();
        List<long[]> spans = new ArrayList<>();
        LineSplitter[] splitter = new LineSplitter[1];
        splitter[0] = new LineSplitter(maxLineBytes, (text, truncated) -> {
            all.add(new Line(text, truncated));
            spans.add(new long[] {splitter[0].lineStart(), splitter[0].lineEnd()});
        }, (bytes, from, to, plain) -> {
            assertThat(plain).as("plain text: %s", Arrays.toString(Arrays.copyOfRange(bytes, from, to)))
                    .isEqualTo(isPlain(bytes, from, to));
            assertThat(to - from).isLessThanOrEqualTo(maxLineBytes);
            assertThat(splitter[0].lineStart()).isEqualTo(splitter[0].lineEnd() - 1 - (to - from));
            boolean taken = (to - from) % 3 == 0; // takes some lines, declines the others
            if (taken) {
                all.add(new Line(new String(bytes, from, to - from, StandardCharsets.UTF_8), false));
                spans.add(new long[] {splitter[0].lineStart(), splitter[0].lineEnd()});
            }
            return taken;
        });
        for (int offset = 0; offset < input.length; offset += chunk) {
            splitter[0].feed(input, offset, Math.min(chunk, input.length - offset));
        }
        splitter[0].finish();

        List<Line> without = split(input, chunk, maxLineBytes);
        assertThat(all).isEqualTo(without);
        long at = 0;
        for (long[] span : spans) {
            assertThat(span[0]).isEqualTo(at);
            at = span[1];
        }
    }

    /** Printable ASCII or TAB, and no {@code #} followed by a {@code 0} (rsyslog's escapes: {@code #011}, {@code #033[}). */
    private static boolean isPlain(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xff;
            if (!(b >= 0x20 && b < 0x7f || b == '\t') || b == '#' && i + 1 < to && bytes[i + 1] == '0') {
                return false;
            }
        }
        return true;
    }

    @Provide
    Arbitrary<byte[]> textWithStops() {
        Arbitrary<Byte> bytes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just((byte) '\n')),
                net.jqwik.api.Tuple.of(60, Arbitraries.bytes().between((byte) 0x20, (byte) 0x7e)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of((byte) '\t', (byte) '\r', (byte) '#', (byte) '0', (byte) 0x7f, (byte) 0x80,
                        (byte) 0xff, (byte) 0, (byte) 0x1f, (byte) 0x20, (byte) 0x7e, (byte) 0x08, (byte) 0x0a, (byte) 0x0b,
                        (byte) 0x22, (byte) 0x24, (byte) 0xa3, (byte) 0x89, (byte) 0xc3)),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes()));
        return bytes.array(byte[].class).ofMaxSize(400);
    }

    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {1, 3, 4096})
    void eachLineIsHandedOnWithWhereItStartsAndEndsInTheStreamAnOverlongOneIncluded(int chunk) {
        String longLine = "x".repeat(100);
        byte[] input = ("ab\n\n" + longLine + "\nü\nlast").getBytes(StandardCharsets.UTF_8);
        List<long[]> spans = new ArrayList<>();
        LineSplitter[] splitter = new LineSplitter[1];
        splitter[0] = new LineSplitter(16, (text, truncated) -> spans.add(new long[] {splitter[0].lineStart(),
                splitter[0].lineEnd()}));
        splitter[0].at(1000); // resumed at byte 1000 of a file
        for (int offset = 0; offset < input.length; offset += chunk) {
            splitter[0].feed(input, offset, Math.min(chunk, input.length - offset));
        }
        splitter[0].finish();

        assertThat(spans).containsExactly(new long[] {1000, 1003}, new long[] {1003, 1004}, new long[] {1004, 1105},
                new long[] {1105, 1108}, new long[] {1108, 1112});
    }
}
