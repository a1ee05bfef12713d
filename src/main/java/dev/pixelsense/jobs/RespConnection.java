package dev.pixelsense.jobs;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One blocking connection speaking RESP2, the Redis protocol: commands as arrays of bulk strings,
 * replies as simple strings, errors, integers, bulk strings and arrays. Replies come back as
 * {@code String}, {@code Long}, {@code List<Object>} or null; an error reply throws
 * {@link RedisError}. Not thread-safe: one caller at a time (the pool in {@link RedisJobs} sees to
 * it). About a dozen commands are all the jobs engine needs, which is why this is not a client library.
 */
final class RespConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** A reply Redis sent as an error ({@code -ERR ...}, {@code -BUSYGROUP ...}). */
    static final class RedisError extends RuntimeException {
        RedisError(String message) {
            super(message);
        }
    }

    RespConnection(URI uri, int timeoutMillis) {
        try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to Redis at " + uri.getHost() + ":" + uri.getPort() + ": "
                    + e.getMessage(), e);
        }
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon <= 0) {
                call("AUTH", colon < 0 ? userInfo : userInfo.substring(1));
            } else {
                call("AUTH", userInfo.substring(0, colon), userInfo.substring(colon + 1));
            }
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            call("SELECT", path.substring(1));
        }
    }

    /** Sends one command and reads its reply. */
    Object call(Object... args) {
        send(args);
        return read();
    }

    void send(Object... args) {
        write(args);
        flush();
    }

    /** Buffers one command without sending it (pipelining: several writes, one {@link #flush}). */
    void write(Object... args) {
        try {
            out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (Object arg : args) {
                byte[] bytes = arg instanceof byte[] b ? b : String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
                out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.write('\r');
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Redis connection failed: " + e.getMessage(), e);
        }
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis connection failed: " + e.getMessage(), e);
        }
    }

    /** Reads one reply (also used for pub/sub pushes). */
    Object read() {
        try {
            return readReply();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis connection failed: " + e.getMessage(), e);
        }
    }

    void timeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object readReply() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("Redis closed the connection");
        }
        String line = readLine();
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new RedisError(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] data = in.readNBytes(length);
                in.readNBytes(2);
                yield new String(data, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(readReply());
                }
                yield items;
            }
            default -> throw new IOException("unexpected RESP type byte " + type);
        };
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(32);
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                throw new IOException("Redis closed the connection");
            }
            if (b == '\r') {
                in.read();
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }
}
