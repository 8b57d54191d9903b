package org.tollgate.server.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.enforce.ActionFactory;
import org.tollgate.server.TollgateService;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.server.source.LineSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tollgate run}: the service. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the service: follows the configured logs, publishes every event on the event bus and to",
            "the outputs, and bans through the jails' firewall actions. SIGTERM stops it cleanly; SIGHUP reads the",
            "configuration file again, as 'tollgate reload' does."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:--once: every line read and handled, and written by every output",
            "143:stopped cleanly by SIGTERM (the JVM exits 128 + 15 once the service has stopped)",
            "1:the configuration is invalid or the service could not start",
            "3:--once: not every line was read or written (a log file that cannot be read, outputs that wrote "
                    + "nothing for 60 s, events an output dropped); the line before the summary says which"})
final class RunCommand implements Callable<Integer> {

    /** {@code --once}: not every line was read and written. */
    static final int NOT_ALL_WRITTEN = 3;

    /** The start's limit, apart from the wait for the cluster's join ({@code cluster.join_timeout}), which it adds. */
    private static final long START_TIMEOUT_SECONDS = 60;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path config = Path.of("/etc/tollgate/tollgate.yaml");

    @Option(names = "--once", description = {"Read the logs to their end, handle every line, then stop (for trials and"
            + " tests): each file to the end it has when reading reaches it, every line written by every output"
            + " however slow; stdin until it closes; a syslog or journal listener until it is quiet a second."})
    boolean once;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        TollgateConfig loaded;
        try {
            loaded = TollgateConfig.load(config);
            if (!once) {
                // Read now so that a missing, unreadable or short token is refused before anything starts.
                loaded.api().readToken();
            }
        } catch (ConfigException e) {
            err.println("tollgate run: " + e.getMessage());
            return 1;
        }
        // A one-shot run stops when the logs end: no admin API for it.
        return run(loaded, !once, once, err);
    }

    /** @param withApi whether the admin API of {@code config} runs */
    static int run(TollgateConfig config, boolean withApi, boolean once, PrintStream err) throws Exception {
        // The service reports what it does (bans, restores, sources) at INFO; the one-shot commands stay quiet.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.tollgate"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        var log = org.slf4j.LoggerFactory.getLogger(RunCommand.class).atInfo();
        for (var entry : config.effective().entrySet()) {
            log = log.addKeyValue(entry.getKey(), entry.getValue());
        }
        log.log("configuration");
        Clock clock = Clock.systemUTC();
        ActionFactory actions = ActionFactory.firewall(new CommandRunner(), clock);
        AtomicReference<String> starting = new AtomicReference<>("the service");
        long limit = START_TIMEOUT_SECONDS
                + (config.cluster().enabled() ? config.cluster().joinTimeout().toSeconds() : 0);
        TollgateService service;
        try {
            service = (once ? TollgateService.startToEnd(config, clock, actions, starting)
                    : TollgateService.start(config, withApi, clock, actions, starting))
                    .toCompletionStage().toCompletableFuture().get(limit, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            err.println("tollgate run: could not start: " + oneLine(e.getCause()));
            return 1;
        } catch (TimeoutException e) {
            err.println("tollgate run: could not start within " + limit + " s: " + starting.get()
                    + " did not start");
            return 1;
        } catch (RuntimeException e) {
            err.println("tollgate run: could not start: " + oneLine(e));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            service.stop();
            stopped.countDown();
        }, "tollgate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!once) {
            Hangup.reloads(service);
        }
        if (once) {
            String unwritten = waitUntilDone(service);
            Runtime.getRuntime().removeShutdownHook(hook);
            service.stop();
            String lost = lost(service.outputsDropped());
            if (unwritten != null) {
                err.println("tollgate run: not every line was read and written: " + unwritten);
            }
            if (lost != null) {
                err.println("tollgate run: not every event was written: " + lost);
                unwritten = lost;
            }
            err.printf("tollgate run: %d lines read, %d security events, %d failures counted%n", service.linesRead(),
                    service.publisher().securityEvents(), service.publisher().failures());
            return unwritten == null ? 0 : NOT_ALL_WRITTEN;
        }
        stopped.await();
        return 0;
    }

    /** What the outputs that lost events lost ({@code jsonl[0]: 120 events dropped}), or null when none did. */
    static String lost(Map<String, Long> dropped) {
        StringBuilder lost = new StringBuilder();
        dropped.forEach((output, count) -> {
            if (count > 0) {
                lost.append(lost.length() == 0 ? "" : ", ").append(output).append(": ").append(count)
                        .append(" events dropped");
            }
        });
        return lost.length() == 0 ? null : lost + " (a full queue, a failed write or a broken connection)";
    }

    /** The message of {@code e} on one line, never a stack trace. */
    static String oneLine(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return message.replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * Waits until every source that knows where its input ends has reached it with every line handed on (a file
     * source: its files read to their end and every line written by every output; stdin: closed), then until the
     * listeners (syslog, journal), which cannot know, have read nothing for a second, then until every failure went
     * through the jails. No fixed idle rule for the others: a starved machine can pause a read mid-file longer.
     *
     * @return null when every line was read and written; otherwise why not, one line
     */
    private static String waitUntilDone(TollgateService service) throws InterruptedException {
        String unwritten = null;
        boolean listeners = false;
        for (LineSource source : service.sources()) {
            CompletionStage<Void> end = source.end();
            if (end == null) {
                listeners = true;
                continue;
            }
            try {
                end.toCompletableFuture().get();
            } catch (ExecutionException e) {
                unwritten = unwritten == null ? oneLine(e.getCause()) : unwritten;
            }
        }
        for (long last = -1; listeners && service.linesRead() != last; ) {
            last = service.linesRead();
            Thread.sleep(1_000);
        }
        service.awaitDrained(30_000);
        return unwritten;
    }
}
