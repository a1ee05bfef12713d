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
 * request is written and the answer read on the caller's own (virtual) thread: no selector
 * thread and no hand-off per chunk, which on a 2-core machine leaves more CPU to the model. One
 * connection per request ({@code Connection: close}): a loopback connect costs less than pooling
 * would, and cancelling is simply closing the socket, which the runner sees at once.
 *
 * <p>Supports what the runner protocol needs: Content-Length, chunked and read-to-close bodies;
 * no redirects, no 100-continue, no keep-alive. Timeouts other than connect are the caller's
 * (a watchdog that calls {@link Call#cancel()}).
 */
final class LoopbackUpstream implements Upstream {
    private static final int MAX_HEAD = 64 * 1024;

    private final Duration connectTimeout;

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
        // nothing pooled: every call owns and closes its socket
    }

    private final class SocketCall implements Call {
        private final OpenAiSettings.Deployment deployment;
        private final byte[] body;
        private final boolean stream;
        // created up front so that cancel() can close it even while connect() blocks
        private final Socket socket = new Socket();

        SocketCall(OpenAiSettings.Deployment deployment, byte[] body, boolean stream) {
            this.deployment = deployment;
            this.body = body;
            this.stream = stream;
        }

        @Override
        public Response await() throws IOException {
            URI uri = deployment.chatUrl();
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            try {
                InetSocketAddress address = new InetSocketAddress(uri.getHost(), port);
                if (Thread.currentThread().isVirtual()) {
                    socket.connect(address, (int) Math.max(1, connectTimeout.toMillis()));
                } else {
                    // A timed connect leaves the socket non-blocking for good, and every read
                    // then costs a failed read, a poll and a read again. On a platform thread an
                    // untimed connect keeps reads to one system call each; on loopback a connect
                    // succeeds or is refused at once, and cancel() closing the socket still ends it.
                    socket.connect(address);
                }
            } catch (SocketTimeoutException e) {
                socket.close();
                throw new HttpConnectTimeoutException("connect timed out after " + connectTimeout.toMillis() + " ms");
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            // SSE chunks are small and latency-bound: do not let Nagle hold the request back
            socket.setTcpNoDelay(true);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(head(uri, port).getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                return read(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
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
                    .append("\r\nContent-Length: ").append(body.length)
                    .append("\r\nConnection: close\r\n");
            if (deployment.apiKey() != null) {
                h.append("Authorization: Bearer ").append(deployment.apiKey()).append("\r\n");
            }
            deployment.headers().forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
            return h.append("\r\n").toString();
        }

        private Response read(InputStream in) throws IOException {
            int status;
            Map<String, String> headers = new HashMap<>();
            int[] budget = {MAX_HEAD};
            while (true) {
                String line = line(in, budget, "the headers");
                // "HTTP/1.1 200 OK"; interim 1xx answers carry no body and are skipped
                if (!line.startsWith("HTTP/1.") || line.length() < 12) {
                    throw new IOException("not an HTTP/1.x answer: " + line);
                }
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
            return new Response(status, headers, body(in, headers));
        }

        private InputStream body(InputStream in, Map<String, String> headers) throws IOException {
            String te = headers.get("transfer-encoding");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                return new ChunkedBody(in, socket);
            }
            String length = headers.get("content-length");
            if (length != null) {
                try {
                    return new LengthBody(in, Long.parseLong(length), socket);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + length);
                }
            }
            return new LengthBody(in, -1, socket);
        }

        @Override
        public void cancel() {
            try {
                socket.close();
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
