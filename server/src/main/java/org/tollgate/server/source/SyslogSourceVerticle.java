package org.tollgate.server.source;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.normalizer.Normalizer;
import org.tollgate.normalizer.input.LineBuffer;
import org.tollgate.normalizer.input.LineSplitter;
import org.tollgate.server.LogFields;
import org.tollgate.server.config.SourceSettings;

/**
 * A syslog receiver for one {@code type: syslog} source: datagrams on UDP (one message each) and connections on TCP
 * (octet-counted or one message per line, RFC 6587), RFC 3164 and RFC 5424 alike. Asterisk's own syslog channel
 * reaches it through the local syslog daemon's forwarding, a remote PBX through its own.
 *
 * <p>Each line goes to the normalizer as received, {@code <PRI>} included. Every sender address has its own
 * {@link Normalizer}, so each PBX keeps its own year context and packet-dump state; the least recently heard sender is
 * forgotten past {@link #MAX_SENDERS}. Everything runs on this verticle's event loop: normalizing a line costs about
 * 2 µs (bench/README.md, every line to JSON), well under what an event loop may spend on it.
 */
public final class SyslogSourceVerticle extends VerticleBase implements LineSource {

    private static final Logger LOG = LoggerFactory.getLogger(SyslogSourceVerticle.class);

    /** Senders with a normalizer of their own. */
    public static final int MAX_SENDERS = 1024;
    /** TCP connections open at once; more are closed as they come. */
    public static final int MAX_CONNECTIONS = 256;
    /** Longest message kept; the rest is cut and the event marked truncated. */
    public static final int MAX_MESSAGE_BYTES = LineSplitter.DEFAULT_MAX_LINE_BYTES;
    private static final int RECEIVE_BUFFER_BYTES = 256 * 1024;

    private final SourceSettings.SyslogSource settings;
    private final LineHandler handler;
    private final Clock clock;
    private final int maxMessageBytes;
    private final int maxConnections;
    private final Map<String, Normalizer> normalizers;
    private final Set<NetSocket> connections = new HashSet<>();
    private DatagramSocket udp;
    private NetServer tcp;
    private volatile long lines;
    private volatile long truncated;
    private volatile long refusedConnections;
    private final SourceOptions reading;

    /**
     * @param reading the service's numbering plan and endpoint table; lines from this host (a loopback sender: the
     *                local syslog daemon forwarding Asterisk) share the table with the other sources, each remote
     *                PBX has one of its own
     */
    public SyslogSourceVerticle(SourceSettings.SyslogSource settings, LineHandler handler, Clock clock,
                                SourceOptions reading) {
        this(settings, handler, clock, reading, MAX_MESSAGE_BYTES, MAX_CONNECTIONS, MAX_SENDERS);
    }

    SyslogSourceVerticle(SourceSettings.SyslogSource settings, LineHandler handler, Clock clock, SourceOptions reading,
                         int maxMessageBytes, int maxConnections, int maxSenders) {
        this.settings = settings;
        this.reading = reading;
        this.handler = handler;
        this.clock = clock;
        this.maxMessageBytes = maxMessageBytes;
        this.maxConnections = maxConnections;
        this.normalizers = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Normalizer> eldest) {
                return size() > maxSenders;
            }
        };
    }

    @Override
    public Future<?> start() {
        List<Future<?>> binds = new ArrayList<>();
        String host = settings.listen().host();
        int port = settings.listen().port();
        if (settings.listensUdp()) {
            // Netty reads 2 KiB per datagram unless told otherwise and the kernel drops the rest; Vert.x sizes both the
            // socket buffer and each read with this, so no datagram (65,527 bytes at most) is ever cut short.
            udp = vertx.createDatagramSocket(new DatagramSocketOptions()
                    .setReceiveBufferSize(RECEIVE_BUFFER_BYTES)
                    .setIpV6(host.indexOf(':') >= 0));
            udp.handler(this::onDatagram);
            udp.exceptionHandler(e -> LOG.atDebug().addKeyValue(LogFields.ERROR, e.toString()).log("syslog UDP error"));
            binds.add(udp.listen(port, host).recover(e -> cannotBind("udp", e)));
        }
        if (settings.listensTcp()) {
            tcp = vertx.createNetServer(new NetServerOptions().setTcpKeepAlive(true));
            tcp.connectHandler(this::onConnection);
            binds.add(tcp.listen(port, host).recover(e -> cannotBind("tcp", e)));
        }
        return Future.all(binds).onSuccess(done -> LOG.atInfo().addKeyValue(LogFields.LISTEN, host + ":" + port)
                .addKeyValue(LogFields.UDP_PORT, udpPort()).addKeyValue(LogFields.TCP_PORT, tcpPort())
                .log("receiving syslog"));
    }

    private <T> Future<T> cannotBind(String protocol, Throwable cause) {
        return Future.failedFuture(new IOException("source syslog (line " + settings.line() + "): cannot receive on "
                + protocol + " " + settings.listen() + ": " + cause.getMessage(), cause));
    }

    @Override
    public Future<?> stop() {
        List<Future<?>> closes = new ArrayList<>();
        for (NetSocket socket : List.copyOf(connections)) {
            closes.add(socket.close());
        }
        if (tcp != null) {
            closes.add(tcp.close());
        }
        if (udp != null) {
            closes.add(udp.close());
        }
        return Future.join(closes);
    }

    private void onDatagram(DatagramPacket packet) {
        Buffer data = packet.data();
        if (data.length() <= maxMessageBytes) {
            deliver(packet.sender().hostAddress(), data.toString(StandardCharsets.UTF_8), false);
            return;
        }
        LineBuffer message = new LineBuffer(maxMessageBytes);
        message.append(data.getBytes(), 0, data.length());
        deliver(packet.sender().hostAddress(), message.take(), true);
    }

    private void onConnection(NetSocket socket) {
        String sender = socket.remoteAddress().hostAddress();
        if (connections.size() >= maxConnections) {
            refusedConnections++;
            LOG.atWarn().addKeyValue(LogFields.SENDER, sender).addKeyValue(LogFields.CONNECTIONS, connections.size())
                    .log("too many syslog connections; closing the new one");
            socket.close();
            return;
        }
        connections.add(socket);
        SyslogFraming framing = new SyslogFraming(maxMessageBytes, (line, cut) -> deliver(sender, line, cut));
        socket.handler(buffer -> {
            byte[] bytes = buffer.getBytes();
            if (!framing.feed(bytes, 0, bytes.length)) {
                LOG.atWarn().addKeyValue(LogFields.SENDER, sender).addKeyValue(LogFields.ERROR, framing.error())
                        .log("not syslog framing; closing the connection");
                socket.close();
            }
        });
        socket.closeHandler(closed -> {
            connections.remove(socket);
            framing.finish();
        });
        socket.exceptionHandler(e -> LOG.atDebug().addKeyValue(LogFields.SENDER, sender).addKeyValue(LogFields.ERROR, e.toString())
                .log("syslog connection error"));
    }

    /** True for 127.0.0.0/8 and ::1, as Vert.x writes them. */
    static boolean loopback(String sender) {
        return sender.startsWith("127.") || sender.equals("::1") || sender.equals("0:0:0:0:0:0:0:1");
    }

    private void deliver(String sender, String line, boolean cut) {
        Normalizer normalizer = normalizers.get(sender);
        if (normalizer == null) {
            normalizer = new Normalizer(loopback(sender) ? reading.of(settings, clock)
                    : reading.ofOtherPbx(settings, clock));
            normalizers.put(sender, normalizer);
        }
        lines++;
        if (cut) {
            truncated++;
        }
        normalizer.normalize(line, cut, handler::handle);
    }

    @Override
    public long linesRead() {
        return lines;
    }

    /** Messages cut at the length limit. */
    public long truncatedLines() {
        return truncated;
    }

    /** Connections closed because {@link #MAX_CONNECTIONS} were open. */
    public long refusedConnections() {
        return refusedConnections;
    }

    /** The UDP port bound (the configured one, or the one the system chose for port 0); -1 without UDP. */
    public int udpPort() {
        return udp == null ? -1 : udp.localAddress().port();
    }

    /** The TCP port bound; -1 without TCP. */
    public int tcpPort() {
        return tcp == null ? -1 : tcp.actualPort();
    }
}
