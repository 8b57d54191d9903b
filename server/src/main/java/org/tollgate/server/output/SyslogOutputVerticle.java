package org.tollgate.server.output;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.InstantSource;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.server.LogFields;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.EventChunk;
import org.tollgate.server.config.OutputSettings;

/**
 * Sends events to a syslog collector as RFC 5424 messages ({@link SyslogFormat}) whose MSG is the event's ECS JSON.
 * Over TCP (and TLS) each message is octet-counted (RFC 6587), the framing rsyslog's imtcp, syslog-ng's
 * {@code syslog()} source and most SIEM syslog inputs take by default; the connection is kept up with backoff and a
 * bounded queue as for tcp-json. Over UDP each message is one datagram, cut to {@code max_datagram} bytes; sends not
 * yet handed to the kernel are bounded by {@code queue} the same way.
 */
public final class SyslogOutputVerticle extends VerticleBase implements ForwardingOutput {

    private static final Logger LOG = LoggerFactory.getLogger(SyslogOutputVerticle.class);

    private final OutputSettings.SyslogOutput settings;
    private final InstantSource clock;
    private final TcpForwarder forwarder;
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private volatile State udpState = State.CONNECTING;
    private volatile int inFlight;
    private boolean udpFailureLogged;
    private SyslogFormat format;
    private DatagramSocket datagrams;
    private MessageConsumer<EventChunk> consumer;

    public SyslogOutputVerticle(OutputSettings.SyslogOutput settings) {
        this(settings, Clock.systemUTC(), Backoff.standard());
    }

    SyslogOutputVerticle(OutputSettings.SyslogOutput settings, InstantSource clock, Backoff backoff) {
        this.settings = settings;
        this.clock = clock;
        this.forwarder = udp() ? null
                : new TcpForwarder(settings.type(), settings.host(), settings.port(), settings.queue(), backoff);
    }

    private boolean udp() {
        return "udp".equals(settings.protocol());
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(SyslogOutputVerticle::localHostName).compose(hostname -> {
            format = new SyslogFormat(SyslogFormat.FACILITIES.get(settings.facility()), hostname,
                    ProcessHandle.current().pid(), clock);
            if (udp()) {
                datagrams = datagramSocket();
                udpState = State.CONNECTED;
            } else {
                forwarder.start(vertx, TcpJsonOutputVerticle.clientOptions(settings.tls(), settings.tlsCa()));
            }
            consumer = vertx.eventBus().localConsumer(Addresses.EVENT_CHUNKS,
                    message -> message.body().forEach(settings.allEvents(), json -> {
                        Buffer syslog = format.message(json);
                        if (udp()) {
                            send(syslog);
                        } else {
                            forwarder.offer(SyslogFormat.octetCounted(syslog));
                        }
                    }, mark -> {
                        if (udp()) {
                            mark.written(); // a datagram is gone once sent: nothing to wait for
                        } else {
                            forwarder.mark(mark);
                        }
                    }));
            LOG.atInfo().addKeyValue(LogFields.OUTPUT, settings.type()).addKeyValue(LogFields.HOST, settings.host())
                    .addKeyValue(LogFields.PORT, settings.port()).addKeyValue(LogFields.PROTOCOL, settings.protocol())
                    .addKeyValue(LogFields.TLS, settings.tls()).addKeyValue(LogFields.FACILITY, settings.facility())
                    .addKeyValue(LogFields.HOSTNAME, hostname).addKeyValue(LogFields.EVENTS, settings.allEvents() ? "all" : "security")
                    .addKeyValue(LogFields.QUEUE, settings.queue()).log("forwarding events");
            return consumer.completion();
        });
    }

    /**
     * An IPv4 socket for an IPv4 collector; otherwise an IPv6 one, which also reaches IPv4 addresses, so a host name
     * needs no DNS answer before the first event (IPv4 again where this host has no IPv6 at all).
     */
    private DatagramSocket datagramSocket() {
        byte[] literal = IpLiteral.toBytes(settings.host());
        if (literal == null || literal.length == 16) {
            try {
                return vertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(true));
            } catch (RuntimeException noIpv6) {
                LOG.atDebug().addKeyValue(LogFields.ERROR, noIpv6.toString()).log("no IPv6 socket; sending over IPv4");
            }
        }
        return vertx.createDatagramSocket(new DatagramSocketOptions());
    }

    @Override
    public Future<?> stop() {
        Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
        if (udp()) {
            udpState = State.STOPPED;
            return unregistered.eventually(() -> datagrams == null ? Future.succeededFuture() : datagrams.close());
        }
        return unregistered.eventually(forwarder::stop);
    }

    private void send(Buffer message) {
        if (inFlight >= settings.queue()) {
            dropped.increment();
            return;
        }
        Buffer datagram = SyslogFormat.cut(message, settings.maxDatagram());
        if (datagram != message) {
            truncated.increment();
        }
        inFlight++;
        datagrams.send(datagram, settings.port(), settings.host()).onComplete(result -> {
            inFlight--;
            if (result.succeeded()) {
                sent.increment();
                udpFailureLogged = false;
            } else {
                dropped.increment();
                if (!udpFailureLogged) {
                    udpFailureLogged = true;
                    LOG.atWarn().addKeyValue(LogFields.OUTPUT, settings.type()).addKeyValue(LogFields.HOST, settings.host())
                            .addKeyValue(LogFields.PORT, settings.port()).addKeyValue(LogFields.ERROR, result.cause().toString())
                            .log("cannot send to the collector; dropping events until a send succeeds");
                }
            }
        });
    }

    /** This host's name as the kernel has it, as syslog daemons send it; no DNS, so no wait on a slow resolver. */
    private static String localHostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException notLinux) {
            // below
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public State state() {
        return udp() ? udpState : forwarder.state();
    }

    @Override
    public long sent() {
        return udp() ? sent.sum() : forwarder.sent();
    }

    @Override
    public long dropped() {
        return udp() ? dropped.sum() : forwarder.dropped();
    }

    @Override
    public int queued() {
        return udp() ? inFlight : forwarder.queued();
    }

    @Override
    public long connects() {
        return udp() ? (udpState == State.CONNECTED ? 1 : 0) : forwarder.connects();
    }

    /** UDP messages longer than {@code max_datagram}, sent cut. */
    public long truncated() {
        return truncated.sum();
    }
}
