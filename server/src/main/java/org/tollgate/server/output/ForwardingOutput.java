package org.tollgate.server.output;

/**
 * What an output that sends events over the network tells about itself, for metrics and the status page. Safe to
 * call from any thread.
 */
public interface ForwardingOutput {

    /** Where the output stands with its collector. */
    enum State {
        /** A connection is being made. */
        CONNECTING,
        /** Connected (for UDP: the socket is open and sends). */
        CONNECTED,
        /** Not connected; the next attempt is scheduled with backoff. */
        WAITING,
        /** The output is stopped. */
        STOPPED
    }

    State state();

    /** Events handed to the network (written to the socket, or sent as a datagram). */
    long sent();

    /** Events lost: the queue was full, or the connection broke before they were written. */
    long dropped();

    /** Events waiting in the queue now. */
    int queued();

    /** Connections made since start. */
    long connects();
}
