package org.tollgate.normalizer.correlate;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
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

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** The longest name whose bytes a key keeps ({@link #digestName}): a service, an IPv6 address and a long Call-ID. */
    private static final int KEPT_NAME_BYTES = 256;

    private final NameTable<Key> keys;
    private final MessageDigest sha256;
    /** The digest and the number after the name, reused from one attempt to the next. */
    private final byte[] digest = new byte[32];
    private final byte[] number = new byte[48];
    private final byte[] id = new byte[16];

    public Attempts() {
        this(CAPACITY);
    }

    /** With room for {@code capacity} open keys: small for the tests that show the least recently used is forgotten. */
    Attempts(int capacity) {
        keys = new NameTable<>(capacity, Key::new);
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * What one key (service, address, Call-ID or none) remembers: its open attempt. Made once per place in the table and
     * reused for the key that takes the place of one forgotten ({@link NameTable}), arrays and all.
     */
    private static final class Key extends NameTable.Entry {
        long startMillis;
        long startSecond;
        int ordinal;
        int inSecond;
        String id;
        /** Kinds (action and reason) in the open attempt and how often each was seen; few, so small arrays. */
        EventAction[] actions = new EventAction[4];
        String[] reasons = new String[4];
        int[] counts = new int[4];
        int size;
        /**
         * The UTF-8 bytes of the key's name ("service\nip\nsession"), what each of its attempts' ids digests first:
         * made at its first attempt (-1 until then, and for a name longer than {@link #KEPT_NAME_BYTES}), so a key's
         * next attempts (an address's, without a Call-ID) take them as they are.
         */
        byte[] name = new byte[64];
        int nameLength;

        @Override
        void reset() {
            nameLength = -1;
            startMillis = Long.MIN_VALUE;
            startSecond = Long.MIN_VALUE;
            ordinal = 0;
            inSecond = 0;
            id = null;
            // The kinds' strings stay until overwritten: size says how many count.
            size = 0;
        }
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
        String ip = finding.source().ip();
        String sessionText = session == null ? "" : session;
        // The name "service\nip\nsession", not joined: the parts' strings keep their hashes.
        Key key = keys.entry(service, ip, sessionText); // one look-up
        long millis = at.toEpochMilli();
        EventAction action = finding.action();
        String reason = String.valueOf(finding.reason()); // as a kind's text said it: "null" for none
        if (key.id == null || millis - key.startMillis > WINDOW_MILLIS || millis < key.startMillis
                || !admit(key, action, reason, allowance(action))) {
            open(key, service, ip, sessionText, session != null, millis);
            admit(key, action, reason, allowance(action));
        }
        return key.id;
    }

    /** Counts the kind (action, reason) into the open attempt, if it still has room for one more. */
    private static boolean admit(Key key, EventAction action, String reason, int allowance) {
        for (int i = 0; i < key.size; i++) {
            if (key.actions[i] == action && key.reasons[i].equals(reason)) {
                if (key.counts[i] >= allowance) {
                    return false;
                }
                key.counts[i]++;
                return true;
            }
        }
        if (key.size == key.actions.length) {
            key.actions = Arrays.copyOf(key.actions, key.size * 2);
            key.reasons = Arrays.copyOf(key.reasons, key.size * 2);
            key.counts = Arrays.copyOf(key.counts, key.size * 2);
        }
        key.actions[key.size] = action;
        key.reasons[key.size] = reason;
        key.counts[key.size] = 1;
        key.size++;
        return true;
    }

    private void open(Key key, String service, String ip, String sessionText, boolean session, long millis) {
        long second = Math.floorDiv(millis, 1000);
        key.inSecond = second == key.startSecond ? key.inSecond + 1 : 0;
        key.startSecond = second;
        key.startMillis = millis;
        key.ordinal++;
        key.size = 0;
        // The SHA-256 of the UTF-8 text "service\nip\nsession\nN": a Call-ID's attempts are numbered from its first
        // (N is the ordinal), other attempts by the second they began in (N is "second/number in that second").
        if (key.nameLength >= 0) {
            sha256.update(key.name, 0, key.nameLength);
        } else {
            digestName(key, service, ip, sessionText);
        }
        int end = 0;
        number[end++] = '\n';
        if (session) {
            end = decimal(key.ordinal, end);
        } else {
            end = decimal(second, end);
            number[end++] = '/';
            end = decimal(key.inSecond, end);
        }
        sha256.update(number, 0, end);
        try {
            sha256.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
        }
        for (int i = 0; i < 8; i++) {
            id[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            id[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        key.id = new String(id, StandardCharsets.ISO_8859_1);
    }

    /**
     * Digests the UTF-8 bytes of "service\nip\nsession" (the parts' bytes, line feeds between them), and keeps them in
     * {@code key} for its next attempts when they fit in {@link #KEPT_NAME_BYTES}: a name the sender made long (a
     * Call-ID of thousands of bytes) is made again for each attempt rather than kept, so the table's kept bytes stay
     * within its capacity times that bound, whatever the log holds.
     */
    private void digestName(Key key, String service, String ip, String sessionText) {
        byte[] first = service.getBytes(StandardCharsets.UTF_8);
        byte[] second = ip.getBytes(StandardCharsets.UTF_8);
        byte[] third = sessionText.getBytes(StandardCharsets.UTF_8);
        int length = first.length + second.length + third.length + 2;
        boolean kept = length <= KEPT_NAME_BYTES;
        if (kept && key.name.length < length) {
            key.name = new byte[length];
        }
        byte[] name = kept ? key.name : new byte[length];
        System.arraycopy(first, 0, name, 0, first.length);
        name[first.length] = '\n';
        System.arraycopy(second, 0, name, first.length + 1, second.length);
        name[first.length + 1 + second.length] = '\n';
        System.arraycopy(third, 0, name, length - third.length, third.length);
        if (kept) {
            key.nameLength = length;
        }
        sha256.update(name, 0, length);
    }

    /** Writes {@code value} in decimal (as {@link Long#toString(long)}) into {@link #number} at {@code at}. */
    private int decimal(long value, int at) {
        return decimal(value, number, at);
    }

    /**
     * Writes {@code value} in decimal, as {@link Long#toString(long)} does, into {@code into} at {@code at}, and returns
     * where it ends: digit by digit, without the string and its bytes an attempt's id would otherwise cost.
     */
    static int decimal(long value, byte[] into, int at) {
        if (value < 0) {
            // Only before 1970; Long.MIN_VALUE has no positive counterpart to write the digits of.
            byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, into, at, text.length);
            return at + text.length;
        }
        int end = at + 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            end++;
        }
        long rest = value;
        for (int i = end - 1; i >= at; i--) {
            into[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return end;
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
