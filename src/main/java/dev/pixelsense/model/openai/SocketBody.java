package dev.pixelsense.model.openai;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * A response body read from its connection's socket. The connection is used for this one
 * response ({@code Connection: close}), so closing the body closes the socket, which is also how
 * an unfinished answer is abandoned: the upstream sees the connection drop.
 */
abstract sealed class SocketBody extends InputStream permits ChunkedBody, LengthBody {
    final InputStream in;
    private final Socket socket;

    SocketBody(InputStream in, Socket socket) {
        this.in = in;
        this.socket = socket;
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    /**
     * Marks the body as ended, so that later reads on the reading thread return -1. close() may
     * come from another thread (a deadline, a cancellation): there, closing the socket is what
     * ends a blocked read.
     */
    abstract void end();

    @Override
    public final void close() throws IOException {
        end();
        socket.close();
    }
}
