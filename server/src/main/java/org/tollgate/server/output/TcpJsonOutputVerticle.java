package org.tollgate.server.output;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.server.LogFields;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventChunk;
import org.tollgate.server.config.OutputSettings;

/**
 * Sends events to a collector as newline-delimited JSON over TCP, optionally TLS (Logstash's {@code tcp} input with
 * the {@code json_lines} codec, Vector's {@code socket} source, Fluent Bit's {@code tcp} input). The connection is
 * kept up with backoff; while it is down or slow, events wait in a bounded queue and past it are dropped and counted,
 * so banning never waits for a collector.
 */
public final class TcpJsonOutputVerticle extends VerticleBase implements ForwardingOutput {

    private static final Logger LOG = LoggerFactory.getLogger(TcpJsonOutputVerticle.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final OutputSettings.TcpJsonOutput settings;
    private final TcpForwarder forwarder;
    private MessageConsumer<EventChunk> consumer;

    public TcpJsonOutputVerticle(OutputSettings.TcpJsonOutput settings) {
        this(settings, Backoff.standard());
    }

    TcpJsonOutputVerticle(OutputSettings.TcpJsonOutput settings, Backoff backoff) {
        this.settings = settings;
        this.forwarder = new TcpForwarder(settings.type(), settings.host(), settings.port(), settings.queue(), backoff);
    }

    @Override
    public Future<?> start() {
        forwarder.start(vertx, clientOptions(settings.tls(), settings.tlsCa()));
        consumer = vertx.eventBus().localConsumer(Addresses.EVENT_CHUNKS, message -> message.body().forEach(
                settings.allEvents(),
                json -> forwarder.offer(Buffer.buffer(json.length() + 1).appendBuffer(json).appendByte((byte) '\n')),
                forwarder::mark));
        LOG.atInfo().addKeyValue(LogFields.OUTPUT, settings.type()).addKeyValue(LogFields.HOST, settings.host())
                .addKeyValue(LogFields.PORT, settings.port()).addKeyValue(LogFields.TLS, settings.tls())
                .addKeyValue(LogFields.EVENTS, settings.allEvents() ? "all" : "security").addKeyValue(LogFields.QUEUE, settings.queue())
                .log("forwarding events");
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        return consumer.unregister().eventually(forwarder::stop);
    }

    /** Plain TCP, or TLS with the collector's certificate checked against the host name it was reached by. */
    static NetClientOptions clientOptions(boolean tls, java.nio.file.Path tlsCa) {
        NetClientOptions options = new NetClientOptions()
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                .setTcpKeepAlive(true);
        if (tls) {
            options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
            if (tlsCa != null) {
                options.setTrustOptions(new PemTrustOptions().addCertPath(tlsCa.toString()));
            }
        }
        return options;
    }

    @Override
    public State state() {
        return forwarder.state();
    }

    @Override
    public long sent() {
        return forwarder.sent();
    }

    @Override
    public long dropped() {
        return forwarder.dropped();
    }

    @Override
    public int queued() {
        return forwarder.queued();
    }

    @Override
    public long connects() {
        return forwarder.connects();
    }
}
