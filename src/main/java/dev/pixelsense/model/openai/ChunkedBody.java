package dev.pixelsense.model.openai;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * A {@code Transfer-Encoding: chunked} body (RFC 9112 section 7.1): chunk extensions and
 * trailers are read and ignored. A connection that ends inside a chunk is an error, so a
 * truncated answer is never mistaken for a complete one. Closing closes the socket.
 */
final class ChunkedBody extends SocketBody {
    private long left;
    private boolean eof;
    private boolean crlfPending;

    ChunkedBody(InputStream in, Socket socket, LoopbackUpstream.Pool pool, boolean reusable) {
        super(in, socket, pool, reusable);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (left == 0) {
            if (crlfPending) {
                crlf();
                crlfPending = false;
            }
            if (!nextChunk()) {
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            throw new EOFException("the upstream closed the connection in the middle of a chunk");
        }
        left -= n;
        // The CRLF that closes a chunk is read with the next one, not now: Jetty sends it as the
        // start of the next chunk's header, so waiting for it here held every streamed chunk back
        // until the next one began (one token late; the first token 5-6 ms late on a 2-core machine).
        crlfPending = left == 0;
        return n;
    }

    @Override
    public int available() throws IOException {
        return eof ? 0 : (int) Math.min(left, in.available());
    }

    /** Reads the next chunk's size line; false (after the trailers) at the last chunk. */
    private boolean nextChunk() throws IOException {
        if (eof) {
            return false;
        }
        int[] budget = {8 * 1024};
        String line = LoopbackUpstream.line(in, budget, "a chunk size line");
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
        try {
            left = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size line: " + line);
        }
        if (left < 0) {
            throw new IOException("bad chunk size line: " + line);
        }
        if (left == 0) {
            while (!LoopbackUpstream.line(in, budget, "the trailers").isEmpty()) {
                // trailers: nothing in them for us
            }
            eof = true;
            return false;
        }
        return true;
    }

    private void crlf() throws IOException {
        int[] budget = {2};
        if (!LoopbackUpstream.line(in, budget, "the end of a chunk").isEmpty()) {
            throw new IOException("a chunk is longer than its declared size");
        }
    }

    @Override
    void end() {
        eof = true;
        left = 0;
    }
}
