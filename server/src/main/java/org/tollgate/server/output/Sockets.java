package org.tollgate.server.output;

import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/** Closing connections to peers that have stopped reading. */
final class Sockets {

    private Sockets() {
    }

    /**
     * Closes at once, discarding whatever still waits to be written. {@link NetSocket#close()} first flushes what is
     * pending, which a peer that has stopped reading never lets finish.
     */
    static Future<Void> abort(NetSocket socket) {
        if (socket instanceof NetSocketInternal internal) {
            internal.channelHandlerContext().channel().close();
            return Future.succeededFuture();
        }
        return socket.close();
    }
}
