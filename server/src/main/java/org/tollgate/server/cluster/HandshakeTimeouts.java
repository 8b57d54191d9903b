package org.tollgate.server.cluster;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.MulticastSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import javax.net.ssl.SSLSocket;
import org.jgroups.util.SocketFactory;

/**
 * JGroups' TLS sockets with a limit on the handshake of the connections this node opens: JGroups shakes hands with
 * no read timeout while it holds the lock of every outgoing connection, so a member that accepts a connection and
 * never answers (a frozen process, a host that stopped mid-way, a port forwarded to nothing) held the join, and on a
 * running node every send, for ever. A handshake that takes longer than the limit fails like a refused connection
 * (the member is tried again later); once it is done the socket reads without a timeout again, as JGroups expects.
 */
final class HandshakeTimeouts implements SocketFactory {

    private final SocketFactory tls;
    private final int limitMillis;

    HandshakeTimeouts(SocketFactory tls, int limitMillis) {
        this.tls = tls;
        this.limitMillis = limitMillis;
    }

    private Socket limited(Socket socket) throws SocketException {
        if (socket instanceof SSLSocket ssl) {
            ssl.setSoTimeout(limitMillis);
            ssl.addHandshakeCompletedListener(done -> {
                try {
                    done.getSocket().setSoTimeout(0);
                } catch (SocketException e) {
                    // closed meanwhile: nothing to reset
                }
            });
        }
        return socket;
    }

    @Override
    public Socket createSocket(String name) throws IOException {
        return limited(tls.createSocket(name));
    }

    @Override
    public Socket createSocket(String name, String host, int port) throws IOException {
        return limited(tls.createSocket(name, host, port));
    }

    @Override
    public Socket createSocket(String name, InetAddress address, int port) throws IOException {
        return limited(tls.createSocket(name, address, port));
    }

    @Override
    public Socket createSocket(String name, String host, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return limited(tls.createSocket(name, host, port, localAddress, localPort));
    }

    @Override
    public Socket createSocket(String name, InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return limited(tls.createSocket(name, address, port, localAddress, localPort));
    }

    @Override
    public ServerSocket createServerSocket(String name) throws IOException {
        return tls.createServerSocket(name);
    }

    @Override
    public ServerSocket createServerSocket(String name, int port) throws IOException {
        return tls.createServerSocket(name, port);
    }

    @Override
    public ServerSocket createServerSocket(String name, int port, int backlog) throws IOException {
        return tls.createServerSocket(name, port, backlog);
    }

    @Override
    public ServerSocket createServerSocket(String name, int port, int backlog, InetAddress bindAddress)
            throws IOException {
        return tls.createServerSocket(name, port, backlog, bindAddress);
    }

    @Override
    public DatagramSocket createDatagramSocket(String name) throws SocketException {
        return tls.createDatagramSocket(name);
    }

    @Override
    public DatagramSocket createDatagramSocket(String name, SocketAddress bindAddress) throws SocketException {
        return tls.createDatagramSocket(name, bindAddress);
    }

    @Override
    public DatagramSocket createDatagramSocket(String name, int port) throws SocketException {
        return tls.createDatagramSocket(name, port);
    }

    @Override
    public DatagramSocket createDatagramSocket(String name, int port, InetAddress localAddress)
            throws SocketException {
        return tls.createDatagramSocket(name, port, localAddress);
    }

    @Override
    public MulticastSocket createMulticastSocket(String name) throws IOException {
        return tls.createMulticastSocket(name);
    }

    @Override
    public MulticastSocket createMulticastSocket(String name, int port) throws IOException {
        return tls.createMulticastSocket(name, port);
    }

    @Override
    public MulticastSocket createMulticastSocket(String name, SocketAddress bindAddress) throws IOException {
        return tls.createMulticastSocket(name, bindAddress);
    }

    @Override
    public void close(Socket socket) throws IOException {
        tls.close(socket);
    }

    @Override
    public void close(ServerSocket socket) throws IOException {
        tls.close(socket);
    }

    @Override
    public void close(DatagramSocket socket) {
        tls.close(socket);
    }
}
