package org.tollgate.normalizer.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.tollgate.normalizer.text.RecentStrings;

/**
 * An {@code Executing} line read from a plain line's bytes ({@link ExecutingBytes}) is the line read from its text:
 * the same channel, extension, context, application, data and ambiguity, or nothing for both, whatever the caller
 * wrote into the extension and the data (the fixed words of the line, quotes, brackets, {@code @}, {@code :}, other
 * channels, a second reading that makes the line ambiguous, TABs) and whatever bytes lie around the line in the chunk; one set of kept channel
 * names serves every line, as it does a whole input, so names that share a slot replace each other. The application
 * asked for without cutting it ({@link DialplanMessages.Line#appIsIgnoringCase}) answers as the cut one does.
 */
class ExecutingBytesProperties {

    private static final List<String> WORDS = List.of("Executing [", "(\"", "\", \"", "\") in new stack", "@", ":",
            "] ", ":1] ", "h", "Dial", "PJSIP/1001-0000002a", "PJSIP/1001-0000003a", "Local/1@x-00000001;1", "\"",
            "(", ")", " ", "\t", "[", "'", "/", "x@ctx:1] Dial(\"PJSIP/1001-0000003a\", \"");

    /** Kept across tries, as across the lines of one input. */
    private final RecentStrings channels = new RecentStrings();

    @Provide
    Arbitrary<String> hostile() {
        return DialplanLineProperties.hostile(WORDS, "ah1@:]\"( ,/-.;\t'Dl");
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> lead = Arbitraries.of("", "    -- ", "  == ", " ", "[Jan 18 17:39:50] ");
        Arbitrary<String> exten = Arbitraries.oneOf(Arbitraries.of("h", "s", "1001", "0044207946012", ""), hostile());
        Arbitrary<String> context = Arbitraries.oneOf(Arbitraries.of("from-internal", "ctx", "a", "x:1", "c@d"),
                hostile());
        Arbitrary<String> app = Arbitraries.of("Dial", "dial", "DIAL", "Dia", "NoOp", "Set", "App_2", "", "Di al");
        Arbitrary<String> channel = Arbitraries.oneOf(Arbitraries.of("PJSIP/1001-0000002a", "PJSIP/1001-0000003a",
                "SIP/1002-00000003", "Local/100@from-internal-00000001;1", "IAX2/x-1", "a/", "/ab", "ab"), hostile());
        Arbitrary<String> data = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').withChars('\t').ofMaxLength(300), hostile());
        Arbitrary<String> end = Arbitraries.of("\") in new stack", "\")", "", "\") in new stack\") in new stack",
                ") in new stack");
        Arbitrary<String> priority = Arbitraries.of("1", "12", "", "x", "1:2");
        return Combinators.combine(List.of(lead, exten, context, priority, app, channel, data, end))
                .as(p -> p.get(0) + "Executing [" + p.get(1) + "@" + p.get(2) + ":" + p.get(3) + "] " + p.get(4)
                        + "(\"" + p.get(5) + "\", \"" + p.get(6) + p.get(7))
                .filter(ExecutingBytesProperties::plain);
    }

    @Property(tries = 10000)
    void readFromItsBytesTheLineIsTheLineReadFromItsText(@ForAll("lines") String text,
                                                        @ForAll("hostile") String before,
                                                        @ForAll("hostile") String after) {
        int body = MessageClassifier.bodyStart(text, 0);
        DialplanMessages.Line fromText = DialplanMessages.readBody(text, body, "VERBOSE");
        // The line amid other bytes of its chunk: nothing before or after it may count.
        String chunk = before + text + after;
        byte[] bytes = chunk.getBytes(StandardCharsets.ISO_8859_1);
        int offset = before.length();
        DialplanMessages.Line fromBytes = DialplanMessages.readBody(text, body, "VERBOSE", bytes, offset, channels);
        if (fromText == null) {
            assertThat(fromBytes).as(text).isNull();
            return;
        }
        assertThat(fromBytes).as(text).isNotNull();
        for (String app : List.of("Dial", "DIAL", "dial", "Dia", "NoOp", "")) {
            assertThat(fromBytes.appIsIgnoringCase(app)).as("%s: %s", text, app)
                    .isEqualTo(app.equalsIgnoreCase(fromText.app()));
        }
        assertThat(fromBytes.ambiguous()).as(text).isEqualTo(fromText.ambiguous());
        assertThat(fromBytes.toString()).as(text).isEqualTo(fromText.toString());
        for (String app : List.of("Dial", "DIAL", "Dia")) {
            assertThat(fromBytes.appIsIgnoringCase(app)).as("%s: %s, cut", text, app)
                    .isEqualTo(app.equalsIgnoreCase(fromText.app()));
        }
    }

    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
