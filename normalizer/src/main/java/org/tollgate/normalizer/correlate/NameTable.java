package org.tollgate.normalizer.correlate;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A correlator's entries by name, at most {@code capacity}, the least recently used forgotten (as an {@link LruMap}
 * forgets), each entry its own key and, once the table is full, the forgotten entry reused for the new name.
 *
 * <p>A name is two or three parts ({@code "PJSIP\n192.0.2.1\n<Call-ID>"}) that stand for their text joined by line
 * feeds without being joined: joining cost a copy of the parts and a hash over the copy on every line of an attempt,
 * where a part's own string keeps its hash. Parts without a line feed are joined texts that split back into those very
 * parts, so such names are equal exactly when their parts are. A part the sender wrote may hold a line feed (a
 * Call-ID taken from a line with escapes): such a name is kept as its joined text and compared by it; it is never
 * equal to one of plain parts, whose joined text has fewer line feeds.
 *
 * <p>Why: on a long log nearly every attempt has a name of its own (a Call-ID), so a map took a new key, entry and
 * state for each and dropped the eldest: objects that lived through a young collection or two and were then copied
 * into the old generation to die there. {@code check --json} of the 5 M bench log under the launcher's flags
 * ({@code -Xmn32m}, serial collector, one core) promoted 33 MB that way, 11 MB with the attempts and the sessions in
 * tables like this one: what a new name still keeps is the strings of its parts and its attempt's id.
 *
 * @param <E> the entries, each a name and what the correlator keeps for it
 */
final class NameTable<E extends NameTable.Entry> {

    /** A name's parts and its place in the table; subclasses add what is kept for the name. */
    abstract static class Entry {
        /** The name's parts; {@code first} the whole joined text (and the others null) when a part holds a line feed. */
        private String first;
        private String second;
        private String third;
        private int hash;
        /** The next entry in the same bucket. */
        private Entry next;
        /** Neighbours in use order: {@code older} toward the least recently used. */
        private Entry older;
        private Entry newer;

        /** Forgets what was kept for the previous name: the entry is now a new one's. */
        abstract void reset();
    }

    private final Entry[] buckets;
    private final int capacity;
    private final Supplier<E> fresh;
    private Entry eldest;
    private Entry newest;
    private int size;

    NameTable(int capacity, Supplier<E> fresh) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: expected at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.fresh = fresh;
        this.buckets = new Entry[Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2];
    }

    /** The entry of {@code first + '\n' + second}, now the most recently used; null when there is none. */
    E find(String first, String second) {
        return find(first, second, null);
    }

    /** The entry of {@code first + '\n' + second + '\n' + third} ({@code third} null: of two parts), or null. */
    E find(String first, String second, String third) {
        if (joins(first, second, third)) {
            return findExact(joined(first, second, third), null, null);
        }
        return findExact(first, second, third);
    }

    /**
     * The entry of {@code first + '\n' + second + '\n' + third} ({@code third} null: of two parts), now the most
     * recently used: the one there is, or a new one, {@link Entry#reset() reset}, when there is none (the least recently
     * used entry's, when the table is full).
     */
    E entry(String first, String second, String third) {
        if (joins(first, second, third)) {
            first = joined(first, second, third);
            second = null;
            third = null;
        }
        E found = findExact(first, second, third);
        if (found != null) {
            return found;
        }
        E made;
        if (size < capacity) {
            made = fresh.get();
            size++;
        } else {
            @SuppressWarnings("unchecked")
            E reused = (E) eldest;
            unlink(reused);
            made = reused;
        }
        made.reset();
        Entry named = made;
        named.first = first;
        named.second = second;
        named.third = third;
        named.hash = hash(first, second, third);
        int bucket = named.hash & (buckets.length - 1);
        named.next = buckets[bucket];
        buckets[bucket] = named;
        makeNewest(named);
        return made;
    }

    private E findExact(String first, String second, String third) {
        int hash = hash(first, second, third);
        for (Entry at = buckets[hash & (buckets.length - 1)]; at != null; at = at.next) {
            if (at.hash == hash && at.first.equals(first) && Objects.equals(at.second, second)
                    && Objects.equals(at.third, third)) {
                if (at != newest) {
                    takeOut(at);
                    makeNewest(at);
                }
                @SuppressWarnings("unchecked")
                E found = (E) at;
                return found;
            }
        }
        return null;
    }

    /** Removes {@code entry} from its bucket and from the use order. */
    private void unlink(Entry entry) {
        int bucket = entry.hash & (buckets.length - 1);
        if (buckets[bucket] == entry) {
            buckets[bucket] = entry.next;
        } else {
            Entry before = buckets[bucket];
            while (before.next != entry) {
                before = before.next;
            }
            before.next = entry.next;
        }
        entry.next = null;
        takeOut(entry);
    }

    private void takeOut(Entry entry) {
        if (entry.older == null) {
            eldest = entry.newer;
        } else {
            entry.older.newer = entry.newer;
        }
        if (entry.newer == null) {
            newest = entry.older;
        } else {
            entry.newer.older = entry.older;
        }
        entry.older = null;
        entry.newer = null;
    }

    private void makeNewest(Entry entry) {
        entry.older = newest;
        if (newest == null) {
            eldest = entry;
        } else {
            newest.newer = entry;
        }
        newest = entry;
    }

    /** True when a part holds a line feed: the name is then kept as its joined text. */
    private static boolean joins(String first, String second, String third) {
        return first.indexOf('\n') >= 0 || second.indexOf('\n') >= 0 || third != null && third.indexOf('\n') >= 0;
    }

    private static String joined(String first, String second, String third) {
        return third == null ? first + '\n' + second : first + '\n' + second + '\n' + third;
    }

    /** Spread over the low bits the bucket takes: part hashes of similar text differ mostly in their low bits anyway. */
    private static int hash(String first, String second, String third) {
        int hash = first.hashCode();
        if (second != null) {
            hash = 31 * hash + second.hashCode();
        }
        if (third != null) {
            hash = 31 * hash + third.hashCode();
        }
        return hash ^ hash >>> 16;
    }
}
