package org.tollgate.banner.enforce;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.action.FirewallMonitor;
import org.tollgate.banner.LogFields;

/**
 * Runs the firewall actions' {@link FirewallMonitor}s and reports each loss they see ("firewalld reloaded") to a
 * callback. Monitors that run the same command share one process. Each process is read on a daemon thread of its
 * own, so nothing here waits on the event loop or the enforcer, and nothing there waits on a monitor: the callback
 * must only hand the reason over (to an event loop, a queue).
 *
 * <p>A monitor that exits or cannot be started is started again after a delay that doubles from
 * {@link #FIRST_RESTART} up to {@link #LONGEST_RESTART}, back to the first after a run of {@link #HEALTHY_RUN}. While
 * one is down, the periodic reconcile still puts lost bans back.
 */
public final class FirewallWatch implements AutoCloseable {

    public static final Duration FIRST_RESTART = Duration.ofSeconds(1);
    public static final Duration LONGEST_RESTART = Duration.ofMinutes(5);
    /** A run at least this long was a working monitor: the next restart waits {@link #FIRST_RESTART} again. */
    public static final Duration HEALTHY_RUN = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(FirewallWatch.class);

    private final List<Watched> watched = new ArrayList<>();
    private final Consumer<String> onLoss;
    private final Duration firstRestart;
    private final Duration longestRestart;
    private volatile boolean closed;
    private boolean started;

    /** With {@link #FIRST_RESTART} and {@link #LONGEST_RESTART}. */
    public FirewallWatch(Collection<FirewallMonitor> monitors, Consumer<String> onLoss) {
        this(monitors, onLoss, FIRST_RESTART, LONGEST_RESTART);
    }

    /**
     * @param monitors       the actions' monitors; those with the same {@link FirewallMonitor#key()} share a process
     * @param onLoss         called with the reason, on a monitor's thread, each time a monitor sees a loss
     * @param firstRestart   delay before the first restart of a monitor that stopped
     * @param longestRestart the delay stops doubling here
     */
    public FirewallWatch(Collection<FirewallMonitor> monitors, Consumer<String> onLoss, Duration firstRestart,
                         Duration longestRestart) {
        this.onLoss = Objects.requireNonNull(onLoss, "onLoss");
        this.firstRestart = Objects.requireNonNull(firstRestart, "firstRestart");
        this.longestRestart = Objects.requireNonNull(longestRestart, "longestRestart");
        if (firstRestart.isNegative() || firstRestart.isZero() || longestRestart.compareTo(firstRestart) < 0) {
            throw new IllegalArgumentException("restart delays must be positive and the longest at least the first, were "
                    + firstRestart + " and " + longestRestart);
        }
        Map<List<String>, List<FirewallMonitor>> byKey = new LinkedHashMap<>();
        for (FirewallMonitor monitor : monitors) {
            byKey.computeIfAbsent(monitor.key(), key -> new ArrayList<>()).add(monitor);
        }
        byKey.values().forEach(group -> watched.add(new Watched(group)));
    }

    /** Starts every monitor; call once. */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException(closed ? "firewall watch is closed" : "firewall watch already started");
        }
        started = true;
        for (Watched each : watched) {
            Thread thread = new Thread(() -> watch(each), "tollgate-watch-" + each.first.tool());
            thread.setDaemon(true);
            each.thread = thread;
            thread.start();
        }
    }

    /** Monitor processes running now. */
    public int running() {
        int running = 0;
        for (Watched each : watched) {
            Process process = each.process;
            running += process != null && process.isAlive() ? 1 : 0;
        }
        return running;
    }

    /** Stops every monitor without waiting for it. */
    @Override
    public void close() {
        closed = true;
        for (Watched each : watched) {
            Process process = each.process;
            if (process != null) {
                CommandRunner.stop(process);
            }
            if (each.thread != null) {
                each.thread.interrupt();
            }
        }
    }

    private void watch(Watched each) {
        int failures = 0;
        while (!closed) {
            long began = System.nanoTime();
            String problem;
            try {
                problem = run(each);
            } catch (ActionException e) {
                problem = e.getMessage();
            }
            if (closed) {
                return;
            }
            boolean healthy = System.nanoTime() - began >= HEALTHY_RUN.toNanos();
            failures = healthy ? 1 : failures + 1;
            Duration delay = delay(failures);
            LOG.atWarn()
                    .addKeyValue(LogFields.COMMAND, String.join(" ", each.first.command()))
                    .addKeyValue(LogFields.REASON, problem)
                    .addKeyValue(LogFields.RETRY_IN_MS, delay.toMillis())
                    .log("firewall monitor stopped; lost bans come back at the periodic reconcile until it runs again");
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One run of a monitor's command, to its end; returns how it ended. */
    private String run(Watched each) throws ActionException {
        Process process = each.first.runner().spawn(each.first.command());
        each.process = process;
        if (closed) {
            CommandRunner.stop(process);
            return "closed";
        }
        LOG.atInfo().addKeyValue(LogFields.COMMAND, String.join(" ", each.first.command()))
                .log("watching the firewall for reloads and flushes");
        List<FirewallMonitor.Parser> parsers = new ArrayList<>();
        each.monitors.forEach(monitor -> parsers.add(monitor.parsers().get()));
        String last = null;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Set<String> reasons = new LinkedHashSet<>();
                for (FirewallMonitor.Parser parser : parsers) {
                    parser.read(line).ifPresent(reasons::add);
                }
                reasons.forEach(this::report);
                last = line;
            }
            return "exited " + process.waitFor() + (last == null ? "" : " after '" + last.strip() + "'");
        } catch (IOException e) {
            return "output unreadable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            CommandRunner.stop(process);
        }
    }

    private void report(String reason) {
        LOG.atDebug().addKeyValue(LogFields.REASON, reason).log("firewall monitor saw bans dropped");
        try {
            onLoss.accept(reason);
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue(LogFields.REASON, reason).setCause(e).log("loss not handed over");
        }
    }

    /** {@code firstRestart * 2^(failures - 1)}, at most {@code longestRestart}. */
    Duration delay(int failures) {
        return EnforcerOptions.doubling(firstRestart, longestRestart, failures);
    }

    /** The monitors that share one command, and its current process. */
    private static final class Watched {
        final List<FirewallMonitor> monitors;
        final FirewallMonitor first;
        volatile Process process;
        Thread thread;

        Watched(List<FirewallMonitor> monitors) {
            this.monitors = List.copyOf(monitors);
            this.first = monitors.get(0);
        }
    }
}
