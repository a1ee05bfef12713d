package dev.pixelsense.model.openai;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * A body of {@code Content-Length} bytes, or (length -1) one that ends when the upstream closes
 * the connection. Ending early is an error. Closing closes the socket.
 */
final class LengthBody extends SocketBody {
    private final boolean toClose;
    private long left;

    LengthBody(InputStream in, long length, Socket socket, LoopbackUpstream.Pool pool, boolean reusable) {
        super(in, socket, pool, reusable && length >= 0);
        this.toClose = length < 0;
        this.left = toClose ? Long.MAX_VALUE : length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (left == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            if (toClose) {
                left = 0;
                return -1;
            }
            throw new EOFException("the upstream closed the connection " + left + " bytes before the end of the body");
        }
        left -= n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(left, in.available());
    }

    @Override
    void end() {
        left = 0;
    }
}
