package org.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the milliseconds of each ban went: joins {@link BanLatency}'s TSV (when each line was written and how long
 * until its address was seen in the set, in {@code CLOCK_MONOTONIC}) with Tollgate's flight recording of the ban
 * path ({@code tollgate.BanPath} events, {@code org.tollgate.banner.BanPathEvent}, in the same clock), and prints each
 * step's median, p90 and max over the bans, and the first ban's own figures.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.tollgate.bench.BanBreakdown tollgate-latency.tsv ban-path.jfr
 * </pre>
 * {@code bench/side-by-side.sh --trace} runs it after the latency part.
 */
public final class BanBreakdown {

    /** The steps, in path order: each segment runs from the step before it to this one. */
    private static final List<String> STEPS = List.of("written", "woke", "handed-on", "queued", "counting", "jailed",
            "in-set", "seen");
    private static final Map<String, String> SEGMENTS = new LinkedHashMap<>();
    /** Steps beside the path (after the entry is in the set, or on another thread): measured from the jail's decision. */
    private static final Map<String, String> BESIDE = new LinkedHashMap<>();

    static {
        SEGMENTS.put("woke", "line written -> file change noticed (inotify)");
        SEGMENTS.put("handed-on", "noticed -> read, normalized, failure handed on");
        SEGMENTS.put("queued", "handed on -> queued for the jails (the banner's inbox)");
        SEGMENTS.put("counting", "queued -> the enforcer's thread starts");
        SEGMENTS.put("jailed", "thread starts -> jail decides to ban");
        SEGMENTS.put("in-set", "jail -> the firewall tool answered the add");
        SEGMENTS.put("seen", "answered -> seen in the set by the poller");
        BESIDE.put("applied", "jail -> every action returned (checks included)");
        BESIDE.put("stored", "jail -> state store write done");
        BESIDE.put("settled", "jail -> settled, marked applied in the store");
    }

    private BanBreakdown() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BanBreakdown <latency.tsv> <recording.jfr>");
            System.exit(2);
        }
        Map<String, Long> written = new LinkedHashMap<>();
        Map<String, Long> seen = new HashMap<>();
        List<String> rows = Files.readAllLines(Path.of(args[0]));
        for (String line : rows.subList(1, rows.size())) {
            String[] cells = line.split("\t");
            long at = Long.parseLong(cells[3]);
            written.put(cells[1], at);
            if (!cells[2].equals("-")) {
                seen.put(cells[1], at + Math.round(Double.parseDouble(cells[2]) * 1e6));
            }
        }
        List<Long> wakes = new ArrayList<>();
        Map<String, Map<String, Long>> steps = new HashMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[1]))) {
            if (!event.getEventType().getName().equals("tollgate.BanPath")) {
                continue;
            }
            String step = event.getString("step");
            String ip = event.getString("ip");
            long monotonic = event.getLong("monotonic");
            if (step.equals("woke")) {
                wakes.add(monotonic);
            } else if (step.equals("session")) {
                String detail = event.getString("detail");
                String[] words = detail == null ? new String[0] : detail.split(" ");
                if (words.length >= 3 && words[0].equals("add")) {
                    steps.computeIfAbsent(words[2], k -> new HashMap<>()).putIfAbsent("in-set", monotonic);
                }
            } else if (ip != null) {
                steps.computeIfAbsent(ip, k -> new HashMap<>()).putIfAbsent(step, monotonic);
            }
        }
        wakes.sort(null);
        Map<String, List<Long>> segments = new LinkedHashMap<>();
        SEGMENTS.keySet().forEach(step -> segments.put(step, new ArrayList<>()));
        BESIDE.keySet().forEach(step -> segments.put(step, new ArrayList<>()));
        Map<String, Long> first = null;
        for (Map.Entry<String, Long> line : written.entrySet()) {
            Map<String, Long> at = new HashMap<>(steps.getOrDefault(line.getKey(), Map.of()));
            at.put("written", line.getValue());
            if (seen.containsKey(line.getKey())) {
                at.put("seen", seen.get(line.getKey()));
            }
            Long handed = at.get("handed-on");
            if (handed != null) {
                // The last wake-up between the write and the failure handed on (none: read in the same round).
                for (long wake : wakes) {
                    if (wake >= line.getValue() && wake <= handed) {
                        at.put("woke", wake);
                    }
                }
            }
            Map<String, Long> segment = new LinkedHashMap<>();
            for (int i = 1; i < STEPS.size(); i++) {
                String step = STEPS.get(i);
                Long end = at.get(step);
                Long start = null;
                for (int j = i - 1; j >= 0 && start == null; j--) {
                    start = at.get(STEPS.get(j));
                }
                if (end != null && start != null) {
                    segments.get(step).add(end - start);
                    segment.put(step, end - start);
                }
            }
            for (String step : BESIDE.keySet()) {
                Long end = at.get(step);
                Long start = at.get("jailed");
                if (end != null && start != null) {
                    segments.get(step).add(end - start);
                    segment.put(step, end - start);
                }
            }
            if (first == null) {
                first = segment;
            }
        }
        System.out.printf(Locale.ROOT, "%-52s %9s %9s %9s %9s%n", "step (ms)", "first", "median", "p90", "max");
        Map<String, String> lines = new LinkedHashMap<>(SEGMENTS);
        lines.putAll(BESIDE);
        for (Map.Entry<String, String> step : lines.entrySet()) {
            long[] sorted = segments.get(step.getKey()).stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) {
                continue;
            }
            Long mine = first == null ? null : first.get(step.getKey());
            System.out.printf(Locale.ROOT, "%-52s %9s %9.2f %9.2f %9.2f%n", step.getValue(),
                    mine == null ? "-" : String.format(Locale.ROOT, "%.2f", mine / 1e6),
                    BanLatency.percentile(sorted, 50) / 1e6, BanLatency.percentile(sorted, 90) / 1e6,
                    sorted[sorted.length - 1] / 1e6);
        }
    }
}
