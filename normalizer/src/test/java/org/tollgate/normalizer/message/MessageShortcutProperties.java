package org.tollgate.normalizer.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The classifier's shortcut for dialplan steps is what it replaces: a message that starts with
 * {@code "Executing ["} returns no finding without the parsers of its first letter and the AMI login-failure reading
 * (an address first) being asked, and none of them reads one, whatever the sender wrote after it (the extension and the
 * application's data are the caller's): security messages, their fixed parts, addresses, quotes, non-ASCII. And the
 * check can fail: the same tails after the openings those parsers do read give findings.
 */
class MessageShortcutProperties {

    private static final List<String> LEVELS = new ArrayList<>();

    static {
        LEVELS.add(null);
        LEVELS.addAll(List.of("VERBOSE", "NOTICE", "WARNING", "ERROR", "SECURITY", "DEBUG"));
    }

    @Property(tries = 3000)
    void noParserTheShortcutSkipsReadsADialplanStep(@ForAll("leads") String lead, @ForAll("tails") String tail,
                                                     @ForAll("levels") String level) {
        String text = lead + DialplanMessages.EXECUTING + tail;
        int s = lead.length();
        assertThat(skippedParsers(text, s, level)).isEmpty();
        assertThat(new MessageClassifier(false).classify(text, s, level, false, false)).isNull();
        assertThat(new MessageClassifier(true).classify(text, s, level, false, false)).isNull();
    }

    /** The tails carry what those parsers read: after the openings they look for, some tails give findings. */
    @Example
    void theSameTailsAfterTheOpeningsTheParsersReadGiveFindings() {
        for (String opening : List.of("Endpoint '", "Empty registration from ", "SIP ", "192.0.2.7 ")) {
            boolean found = tails().sampleStream().limit(5000)
                    .anyMatch(tail -> !skippedParsers(opening + tail, 0, "NOTICE").isEmpty());
            assertThat(found).as("a finding after \"%s\"", opening).isTrue();
        }
    }

    /** The findings of the parsers the shortcut skips, at {@code s}. */
    private static List<Finding> skippedParsers(String text, int s, String level) {
        List<Finding> findings = new ArrayList<>();
        for (Finding finding : new Finding[] {PjsipMessages.parse(text, s), Iax2Messages.parse(text, s, level),
                AclMessages.parse(text, s), ManagerMessages.loginFailure(text, s)}) {
            if (finding != null) {
                findings.add(finding);
            }
        }
        return findings;
    }

    @Provide
    Arbitrary<String> levels() {
        return Arbitraries.of(LEVELS);
    }

    @Provide
    Arbitrary<String> leads() {
        return Arbitraries.of("", " ", "    -- ", "  == ", "\t", "[2026-01-18 17:39:50] ");
    }

    @Provide
    Arbitrary<String> tails() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of(SecurityNeedles.ALL.texts()),
                Arbitraries.of(
                        "1001' (UDP:192.0.2.7:5060) has no configured AORs",
                        "anonymous' (198.51.100.9:5060) has no configured AORs",
                        "192.0.2.7:4569", "ACL 'deny' for 192.0.2.8 (via 10.0.0.1) ",
                        "Rejecting '192.0.2.7' due to a failure to pass ACL '(BASELINE)'",
                        "tried to authenticate with nonexistent user 'admin'", "failed to authenticate as 'admin'",
                        "failed to pass IP ACL as 'admin'", "1002@from-internal:3] Dial(\"PJSIP/1001-00000001\", ",
                        "\"PJSIP/1002,30\") in new stack", "SIP/2.0", "[2001:db8::66]:5060", "'", "\"", " ", "(", ")",
                        ": ", " - ", "é", "\u0000", "\uFFFD", "@", ":", "]"),
                Arbitraries.strings().ascii().ofMaxLength(8));
        return piece.list().ofMaxSize(8).map(parts -> String.join("", parts));
    }
}
