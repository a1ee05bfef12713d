package dev.pixelsense.model.openai;

import dev.pixelsense.error.UpstreamException;
import dev.pixelsense.model.ChatStream;
import dev.pixelsense.openai.ChatChunk;
import dev.pixelsense.openai.ChunkJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reads an upstream's Server-Sent Events ({@code data: {chunk}} ... {@code data: [DONE]}) as
 * chunks. An {@code {"error": ...}} event, or a connection that ends before {@code [DONE]} and
 * before any finish reason, is a failed answer. Every chunk moves the idle deadline.
 *
 * <p>Events are read as bytes and handed on as {@link ChunkJson} text: a relay forwards them
 * without decoding, parsing and writing each one again.
 */
final class SseChatStream implements ChatStream {
    /** An event larger than this is not a chat chunk; refusing it bounds the memory one answer takes. */
    static final int MAX_EVENT = 16 * 1024 * 1024;
    private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};

    private final Exchange exchange;
    private final InputStream in;
    private final Duration idle;
    private byte[] buf = new byte[16 * 1024];
    private int pos;
    private int lim;
    private boolean eof;
    // the current line: buf[lineFrom, lineTo)
    private int lineFrom;
    private int lineTo;
    // an event of several data lines, joined by '\n'; the usual event is one line and skips this
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private byte[] single;
    private boolean done;
    private boolean finished;
    // the answer ended as the protocol says ([DONE], or the body's end after a finish reason)
    private boolean clean;

    SseChatStream(Exchange exchange, InputStream body, Duration idle) {
        this.exchange = exchange;
        this.in = body;
        this.idle = idle;
    }

    @Override
    public ChatChunk next() {
        ChunkJson json = nextJson();
        return json == null ? null : json.chunk();
    }

    @Override
    public ChunkJson nextJson() {
        if (done) {
            return null;
        }
        try {
            while (true) {
                if (!readLine()) {
                    done = true;
                    if (finished) {
                        clean = true;
                        return null;
                    }
                    throw exchange.endedEarly();
                }
                if (lineTo == lineFrom) {
                    ChunkJson chunk = dispatch();
                    if (chunk != null) {
                        exchange.watchdog().reset(idle, "next chunk");
                        return chunk;
                    }
                    if (done) {
                        return null;
                    }
                } else if (startsWithData()) {
                    int from = lineFrom + 5;
                    if (from < lineTo && buf[from] == ' ') {
                        from++;
                    }
                    addData(from);
                }
                // comments (":"), "event:", "id:" and "retry:" lines carry nothing for us
            }
        } catch (IOException e) {
            done = true;
            throw exchange.failure(e, "streaming the answer");
        }
    }

    private void addData(int from) throws IOException {
        if (single == null && data.size() == 0) {
            single = Arrays.copyOfRange(buf, from, lineTo);
            return;
        }
        if (single != null) {
            data.write(single);
            single = null;
        }
        data.write('\n');
        data.write(buf, from, lineTo - from);
        if (data.size() > MAX_EVENT) {
            throw new IOException("the upstream sent an event larger than " + (MAX_EVENT >> 20) + " MiB");
        }
    }

    private boolean startsWithData() {
        return lineTo - lineFrom >= 5 && buf[lineFrom] == 'd' && buf[lineFrom + 1] == 'a' && buf[lineFrom + 2] == 't'
                && buf[lineFrom + 3] == 'a' && buf[lineFrom + 4] == ':';
    }

    private ChunkJson dispatch() throws IOException {
        byte[] payload;
        if (single != null) {
            payload = single;
            single = null;
        } else if (data.size() == 0) {
            return null;
        } else {
            payload = data.toByteArray();
            data.reset();
        }
        if (payload.length == 0) {
            return null;
        }
        if (Arrays.equals(payload, DONE)) {
            done = true;
            clean = true;
            return null;
        }
        ChunkJson chunk = ChunkJson.parse(payload);
        String error = chunk.errorMessage();
        if (error != null) {
            throw new UpstreamException("the upstream failed mid-answer: " + error);
        }
        if (chunk.finished()) {
            finished = true;
        }
        return chunk;
    }

    /**
     * The next line (LF or CRLF) into {@code buf[lineFrom, lineTo)}; false at the end of the body.
     * A last line without a newline still counts.
     */
    private boolean readLine() throws IOException {
        int scanned = pos;
        while (true) {
            for (int k = scanned; k < lim; k++) {
                if (buf[k] == '\n') {
                    lineFrom = pos;
                    lineTo = k > pos && buf[k - 1] == '\r' ? k - 1 : k;
                    pos = k + 1;
                    return true;
                }
            }
            if (eof) {
                if (pos == lim) {
                    return false;
                }
                lineFrom = pos;
                lineTo = lim;
                pos = lim;
                return true;
            }
            scanned = lim - pos;
            fill();
        }
    }

    /** Moves the unread bytes to the front (growing the buffer for a long line) and reads more. */
    private void fill() throws IOException {
        int unread = lim - pos;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, unread);
            pos = 0;
            lim = unread;
        }
        if (lim == buf.length) {
            if (buf.length >= MAX_EVENT) {
                throw new IOException("the upstream sent a line longer than " + (MAX_EVENT >> 20) + " MiB");
            }
            buf = Arrays.copyOf(buf, Math.min(MAX_EVENT, buf.length * 2));
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
        } else {
            lim += n;
        }
    }

    /** Ends the answer; after a clean end its connection may serve the next request. */
    @Override
    public void close() {
        done = true;
        if (clean) {
            exchange.release();
        } else {
            exchange.close();
        }
    }
}
