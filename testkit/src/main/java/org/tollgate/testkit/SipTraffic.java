package org.tollgate.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Real SIP traffic between the namespaces of a {@link NamespacePair}, from a JVM started inside each namespace (the
 * test's own JVM cannot enter one): a sink on the server side that records every request's Call-ID, UDP and TCP, and
 * bursts of requests from the attacker side, each from a new socket (a new source port: a new flow for conntrack),
 * sent as fast as the JVM can, so that a rate limit sees a burst and not a trickle.
 *
 * <p>In a test: {@code try (SipTraffic.Sink sink = SipTraffic.sink(pair, 5060, 5070)) { SipTraffic.send(pair, "udp",
 * ATTACKER4, 5060, "burst", 10, "OPTIONS", null); Waits.until(..., () -> sink.received("burst") == 3); }}.
 */
public final class SipTraffic {

    private SipTraffic() {
    }

    /** A sink running in the server namespace: UDP and TCP on both server addresses, on each port. */
    public static Sink sink(NamespacePair pair, int... ports) {
        List<String> command = new ArrayList<>(java(pair.server(), "sink"));
        for (int port : ports) {
            command.add(Integer.toString(port));
        }
        return new Sink(command);
    }

    /**
     * Sends {@code count} requests of {@code method} from {@code from} over {@code protocol} ({@code udp} or
     * {@code tcp}) to the server address of its family, Call-IDs {@code <tag>-1} to {@code <tag>-<count>}, with a
     * {@code User-Agent} header when {@code userAgent} is not null; waits until the sender is done.
     *
     * @param sameSocket UDP only: every datagram from one socket (one flow) instead of a new one each
     */
    public static void send(NamespacePair pair, String protocol, String from, int port, String tag, int count,
                            String method, String userAgent, boolean sameSocket) {
        String to = from.indexOf(':') < 0 ? NamespacePair.SERVER4 : NamespacePair.SERVER6;
        List<String> command = new ArrayList<>(java(pair.attacker(), "send"));
        command.addAll(List.of(protocol, from, to, Integer.toString(port), tag, Integer.toString(count), method,
                userAgent == null ? "-" : userAgent, Boolean.toString(sameSocket)));
        try {
            Process sender = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(sender.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!sender.waitFor(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS) || sender.exitValue() != 0) {
                sender.destroyForcibly();
                throw new IllegalStateException("sender failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> java(NetworkNamespace namespace, String mode) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes;
        try {
            classes = Path.of(SipTraffic.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return namespace.exec(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classes,
                SipTraffic.class.getName(), mode);
    }

    /** The sink process and what it received. */
    public static final class Sink implements AutoCloseable {
        private final Process process;
        private final Set<String> received = ConcurrentHashMap.newKeySet();
        private volatile boolean ready;

        Sink(List<String> command) {
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.equals("ready")) {
                            ready = true;
                        } else {
                            received.add(line.strip());
                        }
                    }
                } catch (IOException e) {
                    // The sink was stopped.
                }
            }, "sip-sink");
            reader.setDaemon(true);
            reader.start();
            Waits.until("the SIP sink listening", () -> ready || !process.isAlive());
            if (!ready) {
                throw new IllegalStateException("the SIP sink did not start: " + received);
            }
        }

        /** How many requests with Call-IDs {@code <tag>-…} arrived, over {@code protocol}. */
        public int received(String protocol, String tag) {
            String prefix = protocol + " " + tag + "-";
            return (int) received.stream().filter(line -> line.startsWith(prefix)).count();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** {@code sink <port>…} or {@code send <protocol> <from> <to> <port> <tag> <count> <method> <ua|-> <same>}. */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("sink")) {
            runSink(args);
        } else {
            runSender(args);
        }
    }

    private static void runSink(String[] args) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            int port = Integer.parseInt(args[i]);
            for (String address : List.of(NamespacePair.SERVER4, NamespacePair.SERVER6)) {
                InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(address), port);
                DatagramSocket udp = new DatagramSocket(bind);
                ServerSocket tcp = new ServerSocket();
                tcp.setReuseAddress(true);
                tcp.bind(bind, 1024);
                threads.add(new Thread(() -> receiveUdp(udp)));
                threads.add(new Thread(() -> acceptTcp(tcp)));
            }
        }
        threads.forEach(Thread::start);
        System.out.println("ready");
        System.out.flush();
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void receiveUdp(DatagramSocket socket) {
        byte[] buffer = new byte[65_535];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            report("udp", new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }

    private static void acceptTcp(ServerSocket server) {
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            new Thread(() -> {
                try (socket) {
                    socket.setSoTimeout(30_000);
                    byte[] bytes = socket.getInputStream().readNBytes(4096);
                    report("tcp", new String(bytes, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // A connection that sent nothing.
                }
            }).start();
        }
    }

    private static synchronized void report(String protocol, String request) {
        int at = request.indexOf("Call-ID: ");
        if (at >= 0) {
            int end = request.indexOf('\r', at);
            System.out.println(protocol + " " + request.substring(at + 9, end < 0 ? request.length() : end));
            System.out.flush();
        }
    }

    private static void runSender(String[] args) throws Exception {
        String protocol = args[1];
        InetAddress from = InetAddress.getByName(args[2]);
        InetAddress to = InetAddress.getByName(args[3]);
        int port = Integer.parseInt(args[4]);
        String tag = args[5];
        int count = Integer.parseInt(args[6]);
        String method = args[7];
        String userAgent = args[8].equals("-") ? null : args[8];
        boolean same = Boolean.parseBoolean(args[9]);
        InetSocketAddress target = new InetSocketAddress(to, port);
        if (protocol.equals("udp")) {
            DatagramSocket shared = same ? new DatagramSocket(new InetSocketAddress(from, 0)) : null;
            for (int i = 1; i <= count; i++) {
                byte[] bytes = request(method, args[3], port, tag + "-" + i, userAgent);
                DatagramSocket socket = shared != null ? shared : new DatagramSocket(new InetSocketAddress(from, 0));
                socket.send(new DatagramPacket(bytes, bytes.length, target));
                if (shared == null) {
                    socket.close();
                }
            }
            return;
        }
        // TCP: every connection started at once; those the shield lets through are answered within a second.
        List<SocketChannel> channels = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.bind(new InetSocketAddress(from, 0));
            channel.configureBlocking(false);
            channel.connect(target);
            channels.add(channel);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(900);
        boolean[] done = new boolean[count];
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = channels.get(i);
                try {
                    if (!done[i] && channel.finishConnect()) {
                        done[i] = true;
                        channel.configureBlocking(true);
                        channel.write(ByteBuffer.wrap(request(method, args[3], port, tag + "-" + (i + 1), userAgent)));
                        channel.shutdownOutput();
                    }
                } catch (IOException e) {
                    done[i] = true;
                }
            }
            Thread.sleep(5);
        }
        for (SocketChannel channel : channels) {
            channel.close();
        }
    }

    private static byte[] request(String method, String host, int port, String callId, String userAgent) {
        String target = host.indexOf(':') < 0 ? host : "[" + host + "]";
        String text = method + " sip:100@" + target + ":" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bK-" + callId + "\r\n"
                + "From: <sip:100@" + target + ">;tag=1\r\n"
                + "To: <sip:100@" + target + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + (userAgent == null ? "" : "User-Agent: " + userAgent + "\r\n")
                + "Content-Length: 0\r\n\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
