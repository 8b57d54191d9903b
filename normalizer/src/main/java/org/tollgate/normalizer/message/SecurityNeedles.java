package org.tollgate.normalizer.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.tollgate.normalizer.text.ByteWords;

/**
 * Byte strings one of which every security message holds, found in a line's bytes before it is decoded: a line that
 * holds none of them is no security message, whatever its layout says, so the fast path may count it without reading
 * it ({@code Normalizer#skipNoise}).
 *
 * <p>Why that holds: {@link MessageClassifier} returns a finding only through a parser that first finds a fixed text
 * at the message start or elsewhere in the line ({@code Text.at}, {@code indexOf}, {@code endsWith}); each needle here
 * is such a text, or a part of one, case and all. A parser that gains a message shape must add its fixed text here:
 * {@code SecurityNeedlesTest} checks every security line of the test corpus and of the message catalog's test lines
 * holds a needle, and {@code MessageShapeProperties} that every generated message of every shape does.
 */
public final class SecurityNeedles {

    /** The fixed texts, by the parser that needs them. */
    private static final List<String> TEXTS = List.of(
            // ChanSipMessages
            "Registration from '", "Registration denied because of contact ACL", "Rejecting TCP", "Rejecting TLS",
            "RTP init failure for device ", "Unexpected error for device ", "Unknown SIP command '",
            // Not "Failed to authenticate " alone: the PBX's own "Failed to authenticate on REGISTER to '…'" (a trunk
            // refusing its registration) is noise, a line in every two hundred of a busy log.
            "Failed to authenticate user ", "Failed to authenticate device ", "Failed to place call for user ",
            "Sending fake auth rejection for ",
            "Call from '", "Call limit reached for device ", "Correct auth, but based on stale nonce",
            " rejected due to usage limit of ", "' is trying to register, but not configured as host=dynamic",
            "username mismatch, have <", "' disallowed by contact ACL (violating IP ",
            "Duplicate authentication received from '", "Invalid to address: '", "Bad authentication received from '",
            // Iax2Messages. Not "Host " (five bytes: the search would step four at a time): what every "Host …"
            // message goes on with, after the address or peer name.
            "' trying to do RSA authentication", " failed RSA authentication with inkeys '",
            " failed to authenticate as ", " failed MD5 authentication for '",
            " did not provide proper plaintext password for '", " denied access to register peer '",
            "No registration for peer '", "No RSA public keys on file matched incoming call",
            "Empty registration from ", "Rejected connect attempt from ", "Rejected dial attempt from ",
            " failed CallToken hash inspection", "Call rejected, CallToken Support required.", "MD5 secret mismatch",
            "Plaintext secret mismatch",
            // ManagerMessages
            // (" failed to authenticate as '" is found by IAX2's " failed to authenticate as " above.)
            " tried to authenticate with nonexistent user '", " failed to pass IP ACL as '",
            ", failed to authenticate in ", "Connect attempt from '",
            // Not "Manager '" (nine bytes): the quote that closes the user, the verb and " from " a session line needs.
            "' logged on from ", "' logged in from ", "' logged off from ", "' kicked from ",
            "Received incorrect nonce in Digest <", "manager connection rejected, too many unauthenticated sessions",
            // AclMessages
            "Rejecting '",
            // PjsipMessages, PjsipFailedRequest
            // Not "AOR '", ": Call (" and "Request '": the texts their messages need further on (a failed request's
            // "' failed for '", which PjsipFailedRequest finds after the From).
            "Request from '", "' failed for '", "Registration attempt from endpoint '", "Endpoint '",
            "' not found for endpoint '", "' has no configured max_contacts. Endpoint '",
            "' rejected because extension not found in context '",
            " bytes packet from ",
            // SiteMessages
            "Rejecting unknown SIP connection from ", "hacking attempt detected '",
            // SecurityEventMessages
            SecurityEventMessages.PREFIX,
            // KernelMessages
            KernelMessages.RATE_PREFIX, KernelMessages.SCAN_PREFIX,
            // Not a security message: the pjproject DEBUG line that starts a packet dump (Normalizer's watch).
            "Dropped packet:");

    /** All of them: what the fast path uses. */
    public static final SecurityNeedles ALL = new SecurityNeedles(TEXTS);

    /**
     * Every needle is at least two bytes longer than this, so the search looks at one position in {@code STEP}: a
     * needle found anywhere covers {@code STEP + 2} bytes, so one of the positions looked at and the two bytes after it
     * lie inside it. A word's length: one probe per word read (two when the shortest needles had five bytes, and the
     * search took a sixth of the one-core check's time).
     */
    private static final int STEP = Long.BYTES;

    private static final int QUAD_BITS = 16;

    /**
     * A needle and where in it a two-byte pair stands; {@code head} holds its first bytes (up to eight, the first in
     * the lowest byte), {@code headMask} covers them: one comparison of a word turns most chance pairs away.
     */
    private record Entry(byte[] needle, int offset, long head, long headMask) {
        Entry(byte[] needle, int offset) {
            this(needle, offset, head(needle), needle.length >= Long.BYTES ? -1L : (1L << (needle.length * 8)) - 1);
        }

        private static long head(byte[] needle) {
            long head = 0;
            for (int k = Math.min(needle.length, Long.BYTES) - 1; k >= 0; k--) {
                head = head << 8 | (needle[k] & 0xFF);
            }
            return head;
        }
    }

    /**
     * By two-byte pair (ASCII: 7 bits each): the needles holding it at an offset below {@code STEP}; null if none. For
     * the positions too near the range's end for a word.
     */
    private final Entry[][] byPair = new Entry[128 * 128][];
    /**
     * By the hash of the four bytes from such a pair on ({@link #quads}): the needles holding those four bytes there
     * (or three, where the needle ends). The word-at-a-time search compares a candidate position with these alone: by
     * pair, it compared 4.3 needles' heads a candidate on the bench log, common pairs ("' ", "in") being in many
     * needles; by four bytes, 2.8 (" from '" ends a dozen).
     */
    private final Entry[][] byQuad = new Entry[1 << QUAD_BITS][];
    /** The pairs above, as bits: one look in 2 KiB, for the positions too near the range's end for a word. */
    private final long[] pairs = new long[128 * 128 / 64];
    /**
     * The four bytes from each such pair on (any fourth byte where the needle ends before it), hashed to 16 bits: one
     * look in 8 KiB for the positions of the word-at-a-time search. Common text holds a needle's pairs and triples
     * ("in", " fr", "rom"): on the bench log's lines, four bytes send 1.35 positions a line on to the needles'
     * comparison where three sent 2.0 (and pairs 5.6 at one position in four).
     */
    private final long[] quads = new long[(1 << QUAD_BITS) / 64];
    private final List<String> texts;

    private SecurityNeedles(List<String> texts) {
        this.texts = texts;
        List<List<Entry>> pairLists = lists(byPair.length);
        List<List<Entry>> quadLists = lists(byQuad.length);
        for (String text : texts) {
            byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
            if (needle.length < STEP + 2) {
                throw new IllegalArgumentException("a needle shorter than " + (STEP + 2) + " bytes: " + text);
            }
            for (int offset = 0; offset < STEP; offset++) {
                Entry entry = new Entry(needle, offset);
                add(pairLists, (needle[offset] << 7) | needle[offset + 1], entry);
                int three = (needle[offset] & 0xFF) | (needle[offset + 1] & 0xFF) << 8
                        | (needle[offset + 2] & 0xFF) << 16;
                if (offset + 3 < needle.length) {
                    add(quadLists, quad(three | (needle[offset + 3] & 0xFF) << 24), entry);
                } else {
                    // The needle ends with the three (it is STEP + 2 bytes long): any byte may follow it.
                    for (int fourth = 0; fourth < 256; fourth++) {
                        add(quadLists, quad(three | fourth << 24), entry);
                    }
                }
            }
        }
        for (int i = 0; i < byPair.length; i++) {
            if (pairLists.get(i) != null) {
                byPair[i] = pairLists.get(i).toArray(new Entry[0]);
                pairs[i >>> 6] |= 1L << i;
            }
        }
        for (int i = 0; i < byQuad.length; i++) {
            if (quadLists.get(i) != null) {
                byQuad[i] = quadLists.get(i).toArray(new Entry[0]);
                quads[i >>> 6] |= 1L << i;
            }
        }
    }

    private static List<List<Entry>> lists(int size) {
        List<List<Entry>> lists = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            lists.add(null);
        }
        return lists;
    }

    /**
     * Adds {@code entry} to the list at {@code index}, once: a needle's three last bytes mark a hash many times, one
     * entry's adds come one after another, so a repeat is the list's last element. Compared by identity: a record's
     * {@code equals} is bootstrapped at its first call, which cost every start about 50 ms.
     */
    private static void add(List<List<Entry>> lists, int index, Entry entry) {
        List<Entry> list = lists.get(index);
        if (list == null) {
            list = new ArrayList<>();
            lists.set(index, list);
        }
        if (list.isEmpty() || list.get(list.size() - 1) != entry) {
            list.add(entry);
        }
    }

    /** The fixed texts. */
    public List<String> texts() {
        return texts;
    }

    /** These needles but {@code text}: a filter broken on purpose, for the tests that show each needle is needed. */
    public SecurityNeedles without(String text) {
        List<String> kept = new ArrayList<>(texts);
        kept.remove(text);
        return new SecurityNeedles(List.copyOf(kept));
    }

    /**
     * True when {@code bytes[from, to)} holds a needle: the line may be a security message (or starts a packet dump)
     * and must be read. A byte above 0x7F is never part of a needle; it can only make the answer true more often.
     */
    public boolean anyIn(byte[] bytes, int from, int to) {
        int i = from;
        // A word at a time: the position i, its four bytes the word's first. They are taken as they are: a needle's are
        // ASCII, so one above 0x7F can only miss a needle that is not there.
        for (; i + Long.BYTES <= to; i += STEP) {
            long word = ByteWords.word(bytes, i);
            int quad = quad((int) word);
            if ((quads[quad >>> 6] & 1L << quad) != 0 && startsAt(bytes, i, byQuad[quad], from, to)) {
                return true;
            }
        }
        for (; i + 1 < to; i += STEP) {
            int pair = (bytes[i] & 0x7f) << 7 | bytes[i + 1] & 0x7f;
            if ((pairs[pair >>> 6] & 1L << pair) != 0 && startsAt(bytes, i, byPair[pair], from, to)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when one of {@code entries}, the needles that may stand with their {@code offset} at {@code at}, lies in
     * {@code bytes[from, to)}. They were picked by the bytes at {@code at} loosely (a pair's low seven bits, four
     * bytes' hash), which can only bring a needle more often: each is compared whole.
     */
    private static boolean startsAt(byte[] bytes, int at, Entry[] entries, int from, int to) {
        for (Entry entry : entries) {
            int start = at - entry.offset;
            if (start < from || to - start < entry.needle.length) {
                continue;
            }
            if (start + Long.BYTES <= bytes.length
                    && (ByteWords.word(bytes, start) & entry.headMask) != entry.head) {
                continue;
            }
            if (at(bytes, start, entry.needle)) {
                return true;
            }
        }
        return false;
    }

    /** Four bytes (the first in the lowest) hashed to {@link #QUAD_BITS} bits. */
    private static int quad(int bytes) {
        return (bytes * 0x9E3779B1) >>> (Integer.SIZE - QUAD_BITS);
    }

    /** True when {@code needle} stands at {@code start} (the caller made sure it fits): a word at a time. */
    private static boolean at(byte[] bytes, int start, byte[] needle) {
        int k = 0;
        for (; k + Long.BYTES <= needle.length; k += Long.BYTES) {
            if (ByteWords.word(bytes, start + k) != ByteWords.word(needle, k)) {
                return false;
            }
        }
        for (; k < needle.length; k++) {
            if (bytes[start + k] != needle[k]) {
                return false;
            }
        }
        return true;
    }

}
