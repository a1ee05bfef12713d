package dev.pixelsense.model.openai;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal blocking HTTP/1.1 client for a runner process on loopback (plain http only). The
 * request is written and the answer read on the caller's own thread: no selector thread and no
 * hand-off per chunk, which on a 2-core machine leaves more CPU to the model.
 *
 * <p>Connections are kept alive between requests: a new connection cost the built-in runner about
 * 2 ms before its first token (measured against the same runner: 4.5-5.3 ms to the first token
 * on a new connection, 2.3-2.5 ms on a kept one). A connection returns to the pool only when its
 * answer was read to the end or recycled by a reader that got all it wanted; an abandoned answer
 * closes its connection, which is how the runner learns to stop. A kept connection the runner
 * closed while idle is noticed before anything of the answer arrived, and the request is sent
 * again on a new one.
 *
 * <p>Supports what the runner protocol needs: Content-Length, chunked and read-to-close bodies;
 * no redirects, no 100-continue. Timeouts other than connect are the caller's (a watchdog that
 * calls {@link Call#cancel()}).
 */
final class LoopbackUpstream implements Upstream {
    private static final int MAX_HEAD = 64 * 1024;
    /**
     * A kept connection idle longer than this is closed instead of used: llama-server closes idle
     * connections after 5 s, Jetty (the built-in runner) after 30 s.
     */
    static final Duration KEEP_IDLE = Duration.ofSeconds(4);

    private final Duration connectTimeout;
    private final Pool pool = new Pool();

    LoopbackUpstream(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** True for the upstreams this client is for: plain http to a loopback address. */
    static boolean handles(URI uri) {
        String host = uri.getHost();
        return "http".equals(uri.getScheme()) && host != null
                && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]") || host.equals("::1"));
    }

    @Override
    public Call call(OpenAiSettings.Deployment d, byte[] body, boolean stream) {
        if (!handles(d.chatUrl())) {
            throw new IllegalArgumentException("not a loopback http URL: " + d.chatUrl());
        }
        return new SocketCall(d, body, stream);
    }

    @Override
    public void close() {
        pool.close();
    }

    /** How many idle connections are kept (for tests). */
    int idleConnections() {
        return pool.idle.size();
    }

    /** Idle connections, most recently used first. */
    static final class Pool {
        private record Idle(Socket socket, InputStream in, SocketBody previous, long since) {
        }

        private final java.util.concurrent.ConcurrentLinkedDeque<Idle> idle = new java.util.concurrent.ConcurrentLinkedDeque<>();
        private volatile boolean closed;

        void offer(Socket socket, InputStream in, SocketBody previous) throws IOException {
            idle.addFirst(new Idle(socket, in, previous, System.nanoTime()));
            if (closed) {
                close();
            }
        }

        /** A kept connection not idle for too long, or null; older ones are closed on the way. */
        private Idle take() {
            for (Idle c; (c = idle.pollFirst()) != null; ) {
                if (System.nanoTime() - c.since < KEEP_IDLE.toNanos()) {
                    return c;
                }
                closeQuietly(c.socket);
            }
            return null;
        }

        void close() {
            closed = true;
            for (Idle c; (c = idle.pollFirst()) != null; ) {
                closeQuietly(c.socket);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // dropping it is all that was wanted
        }
    }

    /** A kept connection that turned out closed before any byte of the answer: send again on a new one. */
    private static final class Stale extends IOException {
        Stale(IOException cause) {
            super(cause);
        }
    }

    private final class SocketCall implements Call {
        private final OpenAiSettings.Deployment deployment;
        private final byte[] body;
        private final boolean stream;
        private volatile Socket socket;
        private volatile SocketBody answer;
        private volatile boolean cancelled;

        SocketCall(OpenAiSettings.Deployment deployment, byte[] body, boolean stream) {
            this.deployment = deployment;
            this.body = body;
            this.stream = stream;
        }

        @Override
        public Response await() throws IOException {
            URI uri = deployment.chatUrl();
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            for (Pool.Idle kept; (kept = pool.take()) != null; ) {
                use(kept.socket());
                try {
                    kept.previous().drain();
                    return exchange(kept.socket(), kept.in(), uri, port, true);
                } catch (Stale e) {
                    closeQuietly(kept.socket());
                    // the runner closed it while idle: the next kept one, or a new one
                } catch (IOException | RuntimeException e) {
                    closeQuietly(kept.socket());
                    if (cancelled || e instanceof RuntimeException) {
                        throw e;
                    }
                    // the previous answer's tail could not be read: the connection is no good
                }
            }
            // created before connect() so that cancel() can close it while connect() blocks
            Socket fresh = new Socket();
            use(fresh);
            try {
                InetSocketAddress address = new InetSocketAddress(uri.getHost(), port);
                if (Thread.currentThread().isVirtual()) {
                    fresh.connect(address, (int) Math.max(1, connectTimeout.toMillis()));
                } else {
                    // A timed connect leaves the socket non-blocking for good, and every read
                    // then costs a failed read, a poll and a read again. On a platform thread an
                    // untimed connect keeps reads to one system call each; on loopback a connect
                    // succeeds or is refused at once, and cancel() closing the socket still ends it.
                    fresh.connect(address);
                }
            } catch (SocketTimeoutException e) {
                fresh.close();
                throw new HttpConnectTimeoutException("connect timed out after " + connectTimeout.toMillis() + " ms");
            } catch (IOException e) {
                fresh.close();
                throw e;
            }
            // SSE chunks are small and latency-bound: do not let Nagle hold the request back
            fresh.setTcpNoDelay(true);
            try {
                return exchange(fresh, new BufferedInputStream(fresh.getInputStream(), 16 * 1024), uri, port, false);
            } catch (IOException | RuntimeException e) {
                fresh.close();
                throw e;
            }
        }

        /** Makes {@code s} the socket cancel() closes; closes it at once if the call was cancelled. */
        private void use(Socket s) throws IOException {
            socket = s;
            if (cancelled) {
                s.close();
                throw new java.net.SocketException("cancelled");
            }
        }

        private Response exchange(Socket s, InputStream in, URI uri, int port, boolean kept) throws IOException {
            OutputStream out = s.getOutputStream();
            try {
                out.write(head(uri, port).getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                throw kept ? new Stale(e) : e;
            }
            Response response = read(s, in, kept);
            if (response.body() instanceof SocketBody b) {
                answer = b;
                if (cancelled) {
                    b.close();
                }
            }
            return response;
        }

        private String head(URI uri, int port) {
            StringBuilder h = new StringBuilder(256);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            h.append("POST ").append(path);
            if (uri.getRawQuery() != null) {
                h.append('?').append(uri.getRawQuery());
            }
            h.append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(port)
                    .append("\r\nContent-Type: application/json\r\nAccept: ")
                    .append(stream ? "text/event-stream" : "application/json")
                    .append("\r\nContent-Length: ").append(body.length).append("\r\n");
            if (deployment.apiKey() != null) {
                h.append("Authorization: Bearer ").append(deployment.apiKey()).append("\r\n");
            }
            deployment.headers().forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
            return h.append("\r\n").toString();
        }

        private Response read(Socket s, InputStream in, boolean kept) throws IOException {
            int status;
            String version;
            Map<String, String> headers = new HashMap<>();
            int[] budget = {MAX_HEAD};
            while (true) {
                String line;
                try {
                    line = line(in, budget, "the headers");
                } catch (IOException e) {
                    // nothing of the answer arrived on a kept connection: the runner had closed it
                    throw kept && budget[0] == MAX_HEAD ? new Stale(e) : e;
                }
                // "HTTP/1.1 200 OK"; interim 1xx answers carry no body and are skipped
                if (!line.startsWith("HTTP/1.") || line.length() < 12) {
                    throw new IOException("not an HTTP/1.x answer: " + line);
                }
                version = line.substring(0, 8);
                status = Integer.parseInt(line.substring(9, 12));
                for (String h = line(in, budget, "the headers"); !h.isEmpty(); h = line(in, budget, "the headers")) {
                    int colon = h.indexOf(':');
                    if (colon > 0) {
                        headers.putIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                h.substring(colon + 1).trim());
                    }
                }
                if (status >= 200) {
                    break;
                }
                headers.clear();
            }
            String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            boolean reusable = version.equals("HTTP/1.1") && !connection.contains("close");
            return new Response(status, headers, body(s, in, headers, reusable));
        }

        private InputStream body(Socket s, InputStream in, Map<String, String> headers, boolean reusable)
                throws IOException {
            String te = headers.get("transfer-encoding");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                return new ChunkedBody(in, s, pool, reusable);
            }
            String length = headers.get("content-length");
            if (length != null) {
                try {
                    return new LengthBody(in, Long.parseLong(length), s, pool, reusable);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + length);
                }
            }
            return new LengthBody(in, -1, s, pool, false);
        }

        /**
         * Closes the connection; once the answer is read and its connection recycled, the
         * connection is no longer this call's and stays as it is.
         */
        @Override
        public void cancel() {
            cancelled = true;
            SocketBody b = answer;
            try {
                if (b != null) {
                    b.close();
                } else {
                    Socket s = socket;
                    if (s != null) {
                        s.close();
                    }
                }
            } catch (IOException ignored) {
                // closing is all cancelling means; the reader sees the failure
            }
        }
    }

    /** One CRLF- (or LF-) terminated line of {@code what}, ISO-8859-1, within the byte budget. */
    static String line(InputStream in, int[] budget, String what) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("the upstream closed the connection in the middle of " + what);
            }
            if (--budget[0] < 0) {
                throw new IOException("the upstream's " + what + " is too long");
            }
            if (b == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) b);
        }
    }
}
