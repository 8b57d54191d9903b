package org.tollgate.server.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.banner.enforce.ActionFactory;
import org.tollgate.server.TollgateService;
import org.tollgate.server.bus.Addresses;
import org.tollgate.testkit.TollgateYaml;
import org.tollgate.testkit.Waits;

/**
 * The service started in the test's own JVM as {@code tollgate run} starts it: the whole pipeline, the system clock,
 * and the firewall actions the configuration names, their tools run by the runner given (by default here, as in
 * production: most of these tests name only {@code log}, which runs no tool).
 */
final class InProcessService {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InProcessService() {
    }

    /** A loopback port free a moment ago, for a server the test starts. */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts the service of {@code file}, without the admin API. */
    static TollgateService start(TollgateConfig file) throws Exception {
        return start(file, false);
    }

    /** Starts the service of {@code file}, with its admin API or without. */
    static TollgateService start(TollgateConfig file, boolean withApi) throws Exception {
        return start(file, withApi, new CommandRunner());
    }

    /** As {@link #start(TollgateConfig, boolean)}, the firewall tools run by {@code runner} (in a namespace, say). */
    static TollgateService start(TollgateConfig file, boolean withApi, CommandRunner runner) throws Exception {
        Clock clock = Clock.systemUTC();
        return Waits.result(TollgateService.start(file, withApi, clock, ActionFactory.firewall(runner, clock),
                new java.util.concurrent.atomic.AtomicReference<>()).toCompletionStage());
    }

    /** The bans {@code service} publishes on {@link Addresses#BANS} from now on, parsed, in the order published. */
    static List<JsonNode> bansPublished(TollgateService service) throws Exception {
        List<JsonNode> bans = new CopyOnWriteArrayList<>();
        MessageConsumer<Buffer> consumer = service.vertx().eventBus().consumer(Addresses.BANS, message -> {
            try {
                bans.add(JSON.readTree(message.body().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // Registered everywhere before it returns: nothing published after is missed.
        Waits.result(consumer.completion().toCompletionStage());
        return bans;
    }

    /**
     * tollgate.yaml for a service that follows {@code log} (stamps in UTC), keeps its state in {@code state}, writes
     * the security events to {@code events} as JSON lines, and bans in jail sip-auth after {@code maxretry} failures
     * through the log action alone; ignoreself is off, so that any address can be banned.
     */
    static String followingLog(Path log, Path state, Path events, int maxretry) {
        return TollgateYaml.following(log).state(state).jsonl(events, "security").sipAuth(maxretry).text();
    }
}
