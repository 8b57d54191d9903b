package org.tollgate.banner.enforce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * When each key is due for another attempt. A key rescheduled or cancelled leaves its old entry in the queue, skipped
 * when it comes up, so each operation costs a log of the queue size. Not thread-safe.
 */
final class RetrySchedule<K> {

    private record Entry<K>(Instant due, K key) {
    }

    private final PriorityQueue<Entry<K>> queue = new PriorityQueue<>(Comparator.comparing(Entry::due));
    private final Map<K, Instant> dueByKey = new HashMap<>();

    /** Schedules {@code key} at {@code due}, replacing an earlier schedule of it. */
    void schedule(K key, Instant due) {
        dueByKey.put(key, due);
        queue.add(new Entry<>(due, key));
    }

    void cancel(K key) {
        dueByKey.remove(key);
    }

    Optional<Instant> due(K key) {
        return Optional.ofNullable(dueByKey.get(key));
    }

    /** The earliest due time, if anything is scheduled. */
    Optional<Instant> next() {
        while (!queue.isEmpty()) {
            Entry<K> head = queue.peek();
            if (head.due().equals(dueByKey.get(head.key()))) {
                return Optional.of(head.due());
            }
            queue.poll();
        }
        return Optional.empty();
    }

    /** Removes and returns the keys due at {@code now}, earliest first. */
    List<K> takeDue(Instant now) {
        List<K> due = new ArrayList<>();
        while (!queue.isEmpty() && !queue.peek().due().isAfter(now)) {
            Entry<K> entry = queue.poll();
            if (entry.due().equals(dueByKey.get(entry.key()))) {
                dueByKey.remove(entry.key());
                due.add(entry.key());
            }
        }
        return due;
    }

    int size() {
        return dueByKey.size();
    }
}
