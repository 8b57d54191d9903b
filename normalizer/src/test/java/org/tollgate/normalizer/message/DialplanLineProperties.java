package org.tollgate.normalizer.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * An {@code Executing} line's parts, which {@link DialplanMessages.Line} cuts out of the message only when asked, are
 * the parts of the line it read, whatever the caller wrote into the extension and the application's data (the fixed
 * words of the line, quotes, brackets, {@code @}, {@code :}, other channels): the line is its extension, {@code @},
 * its context, {@code :} and a priority, {@code "] "}, its application, and {@code ("<channel>", "} and its data;
 * {@link DialplanMessages.Line#extenIs} answers as comparing the cut extension does, asked before the extension was cut
 * or after; and asked in any order, the parts are the same.
 */
class DialplanLineProperties {

    private static final List<String> WORDS = List.of("Executing [", "(\"", "\", \"", "\") in new stack", "@", ":",
            "] ", ":1] ", "h", "Dial", "PJSIP/1001-0000002a", "Local/1@x-00000001;1", "\"", "(", ")", " ", "é", "[");

    @Provide
    Arbitrary<String> hostile() {
        return hostile(WORDS, "ah1@:]\"( ,/-.;");
    }

    /** Up to six of {@code words} and runs of {@code chars}, one after another: what a caller writes into a line. */
    static Arbitrary<String> hostile(List<String> words, String chars) {
        Arbitrary<String> word = Arbitraries.of(words);
        Arbitrary<String> run = Arbitraries.strings().withChars(chars).ofMaxLength(6);
        return Arbitraries.oneOf(word, run).list().ofMaxSize(6).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> lead = Arbitraries.of("", "    -- ", "  == ", " ");
        Arbitrary<String> exten = Arbitraries.oneOf(Arbitraries.of("h", "s", "1001", "0044207946012", ""), hostile());
        Arbitrary<String> context = Arbitraries.of("from-internal", "ctx", "macro-dial-one", "a", "x:1");
        Arbitrary<String> app = Arbitraries.of("Dial", "dial", "NoOp", "Set", "Goto", "App_2", "");
        Arbitrary<String> channel = Arbitraries.oneOf(Arbitraries.of("PJSIP/1001-0000002a", "SIP/1002-00000003",
                "Local/100@from-internal-00000001;1", "IAX2/x-1"), hostile());
        Arbitrary<String> data = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300), hostile());
        Arbitrary<String> end = Arbitraries.of("\") in new stack", "\")", "", "\") in new stack\") in new stack");
        return Combinators.combine(List.of(lead, exten, context, app, channel, data, end))
                .as(p -> p.get(0) + "Executing [" + p.get(1) + "@" + p.get(2) + ":" + (p.get(1).length() % 3 + 1)
                        + "] " + p.get(3) + "(\"" + p.get(4) + "\", \"" + p.get(5) + p.get(6));
    }

    @Property(tries = 5000)
    void theLazyPartsAreTheLinesParts(@ForAll("lines") String text, @ForAll("hostile") String word) {
        DialplanMessages.Line line = DialplanMessages.read(text, 0, "VERBOSE");
        if (line == null) {
            return;
        }
        assertThat(line.kind()).isEqualTo(DialplanMessages.Kind.EXECUTING);
        // extenIs before anything was cut, then after.
        DialplanMessages.Line fresh = DialplanMessages.read(text, 0, "VERBOSE");
        for (String asked : List.of("h", word, "")) {
            assertThat(fresh.extenIs(asked)).as(asked).isEqualTo(asked.equals(line.exten()));
        }
        for (String asked : List.of("h", word, "", line.exten())) {
            assertThat(line.extenIs(asked)).as(asked).isEqualTo(asked.equals(line.exten()));
        }
        DialplanMessages.Line reversed = DialplanMessages.read(text, 0, "VERBOSE");
        assertThat(List.of(reversed.data(), reversed.app(), reversed.context(), reversed.exten()))
                .isEqualTo(List.of(line.data(), line.app(), line.context(), line.exten()));
        int s = MessageClassifier.skipDecoration(text, 0);
        String head = DialplanMessages.EXECUTING + line.exten() + "@" + line.context() + ":";
        assertThat(text.startsWith(head, s)).as("%s starts with %s", text, head).isTrue();
        int close = text.indexOf("] " + line.app() + "(\"" + line.channel() + "\", \"" + line.data(), s + head.length());
        assertThat(close).as("%s has the app, channel and data read", text).isGreaterThan(s + head.length());
        assertThat(text.substring(s + head.length(), close)).containsOnlyDigits();
    }
}
