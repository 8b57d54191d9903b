package org.tollgate.normalizer.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.message.AddressOrigin;
import org.tollgate.normalizer.message.EventAction;
import org.tollgate.normalizer.message.Finding;

/**
 * {@link Attempts}, whose keys the table reuses once it is full, gives every line the id a plain model gives it: keys
 * by their joined text in an {@link LruMap}, each made anew, the id the SHA-256 of the joined name and number. Lines a
 * sender may arrange: Call-IDs with line feeds, services that shift into the address, clocks that go back, kinds
 * again and again, more keys than the table holds.
 */
class AttemptsProperties {

    /** One line's finding and how far its time is from the line before. */
    record Line(Finding finding, long stepMillis) {
    }

    @Property(tries = 1500)
    void idsAreTheModelsWithKeysReused(@ForAll @IntRange(min = 1, max = 4) int capacity,
                                       @ForAll("lines") List<Line> lines) throws Exception {
        Attempts attempts = new Attempts(capacity);
        Model model = new Model(capacity);
        long millis = 1_768_757_990_529L;
        for (Line line : lines) {
            millis += line.stepMillis();
            Instant at = Instant.ofEpochMilli(millis);
            assertThat(attempts.attemptOf(line.finding(), at)).as("%s at %s", line.finding(), millis)
                    .isEqualTo(model.attemptOf(line.finding(), at));
        }
    }

    @Provide
    Arbitrary<List<Line>> lines() {
        Arbitrary<String> services = Arbitraries.of("PJSIP", "SIP", "AMI", "PJSIP\n192.0.2.1", "", "\n");
        Arbitrary<String> ips = Arbitraries.of("192.0.2.1", "198.51.100.7", "2001:db8::1");
        // Names past the table's initial 64 bytes, and past the 256 it keeps (a Call-ID the sender made long).
        Arbitrary<String> sessions = Arbitraries.of("c1", "c2", "c1\n", "\n192.0.2.1", "", "\u00e9t\u00e9", "Aa", "BB",
                "x".repeat(70), "y".repeat(300), "\u00e9".repeat(130));
        Arbitrary<EventAction> actions = Arbitraries.of(EventAction.ENDPOINT_NOT_FOUND,
                EventAction.SECURITY_CHALLENGE_SENT, EventAction.SECURITY_INVALID_ACCOUNT_ID, EventAction.AUTH_FAILED,
                EventAction.SECURITY_CHALLENGE_RESPONSE_FAILED);
        Arbitrary<String> reasons = Arbitraries.of("a", "b").injectNull(0.4);
        Arbitrary<Long> steps = Arbitraries.of(0L, 1L, 300L, 999L, 1000L, 4999L, 5000L, 5001L, -1L, -2000L);
        Arbitrary<AddressOrigin> origins = Arbitraries.of(AddressOrigin.TRANSPORT, AddressOrigin.TRANSPORT,
                AddressOrigin.TRANSPORT, AddressOrigin.HEADER);
        return Combinators.combine(services, ips, sessions, actions, reasons, steps, origins)
                .as((service, ip, session, action, reason, step, origin) -> new Line(
                        Finding.of(action, "res_pjsip").reason(reason).service(service).sessionId(session)
                                .source(new Endpoint(ip, 5060), origin).build(), step)).list().ofMaxSize(80);
    }

    /** What an attempt is, said plainly: the joined name as the key, each key made anew. */
    private static final class Model {
        private final Map<String, Key> keys;
        private final MessageDigest sha256;

        Model(int capacity) throws Exception {
            keys = new LruMap<>(capacity);
            sha256 = MessageDigest.getInstance("SHA-256");
        }

        private static final class Key {
            long startMillis = Long.MIN_VALUE;
            long startSecond = Long.MIN_VALUE;
            int ordinal;
            int inSecond;
            String id;
            final List<String> kinds = new ArrayList<>();
            final List<Integer> counts = new ArrayList<>();
        }

        String attemptOf(Finding finding, Instant at) {
            if (finding.source() == null || finding.origin() == AddressOrigin.HEADER) {
                return null;
            }
            String service = Attempts.service(finding);
            boolean session = "PJSIP".equals(service) && finding.sessionId() != null;
            String name = service + '\n' + finding.source().ip() + '\n' + (session ? finding.sessionId() : "");
            Key key = keys.computeIfAbsent(name, k -> new Key());
            long millis = at.toEpochMilli();
            String kind = finding.action() + "/" + finding.reason();
            int allowance = switch (finding.action()) {
                case ENDPOINT_NOT_FOUND, SECURITY_INVALID_ACCOUNT_ID, SECURITY_CHALLENGE_SENT -> 2;
                default -> 1;
            };
            if (key.id == null || millis - key.startMillis > Attempts.WINDOW_MILLIS || millis < key.startMillis
                    || !admit(key, kind, allowance)) {
                long second = Math.floorDiv(millis, 1000);
                key.inSecond = second == key.startSecond ? key.inSecond + 1 : 0;
                key.startSecond = second;
                key.startMillis = millis;
                key.ordinal++;
                key.kinds.clear();
                key.counts.clear();
                String number = session ? Integer.toString(key.ordinal) : second + "/" + key.inSecond;
                byte[] digest = sha256.digest((name + '\n' + number).getBytes(StandardCharsets.UTF_8));
                key.id = HexFormat.of().formatHex(digest, 0, 8);
                admit(key, kind, allowance);
            }
            return key.id;
        }

        private static boolean admit(Key key, String kind, int allowance) {
            int at = key.kinds.indexOf(kind);
            if (at < 0) {
                key.kinds.add(kind);
                key.counts.add(1);
                return true;
            }
            if (key.counts.get(at) >= allowance) {
                return false;
            }
            key.counts.set(at, key.counts.get(at) + 1);
            return true;
        }
    }
}
