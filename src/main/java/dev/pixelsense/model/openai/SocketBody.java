package dev.pixelsense.model.openai;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A response body read from its connection's socket. Closing the body closes the socket, which
 * is also how an unfinished answer is abandoned: the upstream sees the connection drop. A reader
 * that got all it wanted {@link #recycle()}s the body instead, which keeps the connection for the
 * next request when its framing allows; the rest of the body (the end of a chunked stream) is
 * read by that next request ({@link #drain()}), so the end of an answer never waits for it.
 */
abstract sealed class SocketBody extends InputStream permits ChunkedBody, LengthBody {
    /** More than this left of a recycled body is not the tail of an answer: the connection is dropped. */
    private static final int MAX_DRAIN = 64 * 1024;

    final InputStream in;
    private final Socket socket;
    private final LoopbackUpstream.Pool pool;
    private final boolean reusable;
    private final AtomicBoolean released = new AtomicBoolean();

    /**
     * @param pool where a recycled connection goes, null when it may not be kept
     * @param reusable whether the answer's framing and headers allow another request on the connection
     */
    SocketBody(InputStream in, Socket socket, LoopbackUpstream.Pool pool, boolean reusable) {
        this.in = in;
        this.socket = socket;
        this.pool = pool;
        this.reusable = reusable && pool != null;
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

    /** Drops the connection, unless it was recycled already (then it belongs to the pool). */
    @Override
    public final void close() throws IOException {
        if (released.compareAndSet(false, true)) {
            end();
            socket.close();
        }
    }

    /** The reader is done: the connection goes to the pool if it can serve another request, else closes. */
    final void recycle() throws IOException {
        if (!reusable) {
            close();
        } else if (released.compareAndSet(false, true)) {
            pool.offer(socket, in, this);
        }
    }

    /**
     * Reads what is left of this body, so the connection stands at the next answer.
     *
     * @throws IOException if the connection broke or more than a tail was left
     */
    final void drain() throws IOException {
        byte[] scratch = new byte[4096];
        long total = 0;
        for (int n; (n = read(scratch, 0, scratch.length)) >= 0; ) {
            total += n;
            if (total > MAX_DRAIN) {
                throw new IOException("more than " + MAX_DRAIN + " bytes left of the previous answer");
            }
        }
    }
}
