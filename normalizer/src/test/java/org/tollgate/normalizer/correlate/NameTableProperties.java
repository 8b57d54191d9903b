package org.tollgate.normalizer.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.message.AddressOrigin;
import org.tollgate.normalizer.message.EventAction;
import org.tollgate.normalizer.message.Finding;

/**
 * {@link NameTable} stands for the joined text the correlators were keyed by: two names are one entry exactly when
 * their texts joined by line feeds are, on parts a sender may write (line feeds in them, at either end, empty parts,
 * parts that shift into each other, text beyond Latin-1); and it remembers and forgets as an {@link LruMap} of the
 * joined texts does, its entries reused. And an attempt's id, digested from the parts one after the other, is the
 * SHA-256 of the joined text as before.
 */
class NameTableProperties {

    /** An entry that tells which name made it (the table's reuse of an entry makes it another's). */
    private static final class Labelled extends NameTable.Entry {
        private static int made;
        int label;

        @Override
        void reset() {
            label = ++made;
        }
    }

    @Property(tries = 3000)
    void threePartNamesAreOneEntryExactlyWhenTheirJoinedTextsAre(@ForAll("parts") String a, @ForAll("parts") String b,
                                                            @ForAll("parts") String c, @ForAll("parts") String d,
                                                            @ForAll("parts") String e, @ForAll("parts") String f,
                                                            @ForAll @IntRange(max = 2) int how,
                                                            @ForAll @IntRange(max = 20) int cut) {
        String left = a + '\n' + b + '\n' + c;
        String[] other = switch (how) {
            case 0 -> new String[] {d, e, f};
            // The same parts in other strings; or the joined text cut at two of its line feeds, maybe other ones.
            case 1 -> new String[] {new String(a), new String(b), new String(c)};
            default -> cutAtLineFeeds(left, cut);
        };
        String right = other[0] + '\n' + other[1] + '\n' + other[2];
        NameTable<Labelled> table = new NameTable<>(4, Labelled::new);
        Labelled one = table.entry(a, b, c);
        assertThat(table.find(other[0], other[1], other[2]) == one).as("%s / %s", left, right)
                .isEqualTo(left.equals(right));
        assertThat(table.entry(other[0], other[1], other[2]) == one).isEqualTo(left.equals(right));
        boolean sameParts = a.equals(other[0]) && b.equals(other[1]);
        Statistics.label("texts equal, parts differ").collect(left.equals(right), left.equals(right) && !sameParts);
        Statistics.label("texts equal, parts differ").coverage(cov -> {
            cov.check(true, false).percentage(p -> p > 10);
            cov.check(true, true).percentage(p -> p > 3);
        });
    }

    /** {@code text} cut into three at two of its line feeds, chosen by {@code cut}; the texts' own parts are one way. */
    private static String[] cutAtLineFeeds(String text, int cut) {
        java.util.List<Integer> feeds = new java.util.ArrayList<>();
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
            feeds.add(i);
        }
        int first = feeds.get(cut % feeds.size());
        int second = feeds.get((cut / 2 + 1) % feeds.size());
        if (first == second) {
            second = feeds.get(feeds.size() - 1);
            first = feeds.get(0);
        }
        int x = Math.min(first, second);
        int y = Math.max(first, second);
        return new String[] {text.substring(0, x), text.substring(x + 1, y), text.substring(y + 1)};
    }

    @Property(tries = 3000)
    void twoPartNamesAreOneEntryExactlyWhenTheirJoinedTextsAre(@ForAll("parts") String a, @ForAll("parts") String b,
                                                          @ForAll("parts") String d, @ForAll("parts") String e) {
        String left = a + '\n' + b;
        String right = d + '\n' + e;
        NameTable<Labelled> table = new NameTable<>(4, Labelled::new);
        Labelled one = table.entry(a, b, null);
        assertThat(table.find(d, e) == one).as("%s / %s", left, right).isEqualTo(left.equals(right));
        assertThat(table.entry(d, e, null) == one).isEqualTo(left.equals(right));
    }

    /**
     * Looked up and made in any order, with names that collide in their buckets and a table smaller than the names:
     * found, made anew or forgotten exactly as an access-ordered {@link LruMap} of the joined texts.
     */
    @Property(tries = 2000)
    void remembersAndForgetsAsAnLruMapOfTheJoinedTexts(@ForAll @IntRange(min = 1, max = 5) int capacity,
                                                       @ForAll @Size(max = 60) List<@IntRange(max = 23) Integer> ops) {
        String[] names = {"PJSIP", "192.0.2.1", "c1", "PJSIP\n192.0.2.1", "c1\n", "\n", "", "Aa", "BB"};
        NameTable<Labelled> table = new NameTable<>(capacity, Labelled::new);
        Map<String, Integer> model = new LruMap<>(capacity);
        for (int op : ops) {
            int which = op % 12;
            String first = names[which % names.length];
            String second = names[(which * 5 + 1) % names.length];
            String third = which < 6 ? names[(which * 7 + 2) % names.length] : null;
            String joined = third == null ? first + '\n' + second : first + '\n' + second + '\n' + third;
            if (op < 12) {
                Labelled entry = table.entry(first, second, third);
                Integer known = model.get(joined);
                if (known == null) {
                    model.put(joined, entry.label);
                } else {
                    assertThat(entry.label).as("entry %s", joined).isEqualTo(known);
                }
            } else {
                Labelled found = third == null ? table.find(first, second) : table.find(first, second, third);
                Integer known = model.get(joined);
                assertThat(found == null ? null : found.label).as("find %s", joined).isEqualTo(known);
            }
        }
    }

    /** The first attempt of a key: its id is the SHA-256 of "service\nip\nsession\nN", N its number, in hex. */
    @Property(tries = 1000)
    void anAttemptIdDigestsTheJoinedName(@ForAll("parts") String service, @ForAll("parts") String session,
                                         @ForAll("ips") String ip) throws Exception {
        Finding finding = Finding.of(EventAction.SECURITY_CHALLENGE_RESPONSE_FAILED, "res_pjsip")
                .source(new Endpoint(ip, 5060), AddressOrigin.TRANSPORT)
                .service(service)
                .sessionId(session)
                .build();
        Instant at = Instant.ofEpochMilli(1_768_757_990_529L);
        String number = "PJSIP".equals(service) ? "1" : (at.toEpochMilli() / 1000) + "/0";
        String name = service + '\n' + ip + '\n' + ("PJSIP".equals(service) ? session : "") + '\n' + number;
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        assertThat(new Attempts().attemptOf(finding, at)).isEqualTo(HexFormat.of().formatHex(digest, 0, 8));
    }

    @Provide
    Arbitrary<String> parts() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "\n", "PJSIP", "PJSIP\n", "\nPJSIP", "PJSIP\n192.0.2.1", "192.0.2.1\n", "a\nb",
                        "SIP", "AMI", "192.0.2.1", "2001:db8::1", "c1@198.51.100.7", "\u00e9t\u00e9", "\uD83D\uDE00",
                        "\uD83D", "\uDE00\n"),
                Arbitraries.strings().withChars("ab\n\u00e9\uD83D").ofMaxLength(5));
    }

    @Provide
    Arbitrary<String> ips() {
        return Arbitraries.of("192.0.2.1", "198.51.100.7", "2001:db8::1", "203.0.113.255");
    }
}
