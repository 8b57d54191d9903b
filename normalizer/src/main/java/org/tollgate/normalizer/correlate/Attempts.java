package org.tollgate.normalizer.correlate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.tollgate.normalizer.message.AddressOrigin;
import org.tollgate.normalizer.message.EventAction;
import org.tollgate.normalizer.message.Finding;

/**
 * Which lines of one input are one attempt ({@code asterisk.attempt_id}): one failed login often writes several lines
 * (PJSIP's "Failed to authenticate" NOTICE and the security log's ChallengeResponseFailed with the Call-ID as
 * SessionID; "No matching endpoint found" for the challenge and again for the retry; AMI's "nonexistent user" and
 * "failed to authenticate as" NOTICEs and its InvalidAccountID; chan_sip's NOTICE and its InvalidPassword).
 *
 * <p>An attempt is the lines from one address and service that come within {@link #WINDOW_MILLIS} of its first, for
 * res_pjsip of one Call-ID, with each kind of line (action and reason) at most once, or twice for the kinds one line
 * per request of a challenge round trip writes (an unknown endpoint, an account not found, a challenge sent). A kind
 * seen again starts a new attempt: however the sender arranges his requests, each password guess is an attempt of
 * its own, and no line waits for another to be counted.
 *
 * <p>The id is a digest of what names the attempt (service, address, Call-ID and its attempt number; or the second
 * the attempt began and its number in that second), not of the input, so the lines of one attempt get the same id
 * in two logs of one host (the NOTICEs in {@code full}, the SECURITY lines in {@code security}). Bounded: at most
 * {@link #CAPACITY} open keys, the least recently used forgotten.
 */
public final class Attempts {

    /** How long after its first line a line may still belong to an attempt. */
    public static final long WINDOW_MILLIS = 5_000;
    public static final int CAPACITY = 4096;

    private final Map<String, Key> keys = new LruMap<>(CAPACITY);
    private final MessageDigest sha256;
    private final StringBuilder text = new StringBuilder(128);

    public Attempts() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** What one key (service, address, Call-ID or none) remembers: its open attempt. */
    private static final class Key {
        long startMillis = Long.MIN_VALUE;
        long startSecond = Long.MIN_VALUE;
        int ordinal;
        int inSecond;
        String id;
        /** Kinds in the open attempt and how often each was seen; few, so a small array. */
        String[] kinds = new String[4];
        int[] counts = new int[4];
        int size;
    }

    /**
     * The attempt {@code finding}, logged at {@code at}, belongs to; null when it names no address, or only one the
     * sender wrote in a header (it says nothing about where the attempt came from).
     */
    public String attemptOf(Finding finding, Instant at) {
        if (finding.source() == null || finding.origin() == AddressOrigin.HEADER) {
            return null;
        }
        String service = service(finding);
        String session = "PJSIP".equals(service) ? finding.sessionId() : null;
        String name = service + '\n' + finding.source().ip() + '\n' + (session == null ? "" : session);
        Key key = keys.get(name);
        if (key == null) {
            key = new Key();
            keys.put(name, key);
        }
        long millis = at.toEpochMilli();
        String kind = finding.action().id() + '/' + finding.reason();
        if (key.id == null || millis - key.startMillis > WINDOW_MILLIS || millis < key.startMillis
                || !admit(key, kind, allowance(finding.action()))) {
            open(key, name, session != null, millis);
            admit(key, kind, allowance(finding.action()));
        }
        return key.id;
    }

    /** Counts {@code kind} into the open attempt, if it still has room for one more. */
    private static boolean admit(Key key, String kind, int allowance) {
        for (int i = 0; i < key.size; i++) {
            if (key.kinds[i].equals(kind)) {
                if (key.counts[i] >= allowance) {
                    return false;
                }
                key.counts[i]++;
                return true;
            }
        }
        if (key.size == key.kinds.length) {
            key.kinds = java.util.Arrays.copyOf(key.kinds, key.size * 2);
            key.counts = java.util.Arrays.copyOf(key.counts, key.size * 2);
        }
        key.kinds[key.size] = kind;
        key.counts[key.size] = 1;
        key.size++;
        return true;
    }

    private void open(Key key, String name, boolean session, long millis) {
        long second = Math.floorDiv(millis, 1000);
        key.inSecond = second == key.startSecond ? key.inSecond + 1 : 0;
        key.startSecond = second;
        key.startMillis = millis;
        key.ordinal++;
        key.size = 0;
        // A Call-ID's attempts are numbered from its first; other attempts by the second they began in.
        text.setLength(0);
        text.append(name).append('\n');
        if (session) {
            text.append(key.ordinal);
        } else {
            text.append(second).append('/').append(key.inSecond);
        }
        byte[] digest = sha256.digest(text.toString().getBytes(StandardCharsets.UTF_8));
        key.id = HexFormat.of().formatHex(digest, 0, 8);
    }

    /**
     * How many lines of one kind an attempt has: one per request of a challenge round trip (the challenge and the
     * authenticated retry) for the kinds written before authentication; one for the others.
     */
    private static int allowance(EventAction action) {
        return switch (action) {
            case ENDPOINT_NOT_FOUND, SECURITY_INVALID_ACCOUNT_ID, SECURITY_CHALLENGE_SENT -> 2;
            default -> 1;
        };
    }

    /** The service a finding belongs to, the same for a module's NOTICE lines and its security-log lines. */
    static String service(Finding finding) {
        if (finding.service() != null) {
            return finding.service();
        }
        return switch (finding.provider()) {
            case "res_pjsip" -> "PJSIP";
            case "chan_sip" -> "SIP";
            case "manager" -> "AMI";
            case "chan_iax2" -> "IAX2";
            default -> finding.provider();
        };
    }
}
