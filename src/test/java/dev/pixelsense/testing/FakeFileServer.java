package dev.pixelsense.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file server on raw sockets with fault injection, for the model store: ranges with If-Range,
 * HEAD, redirects, statuses, a connection cut mid-body, a stall, a server that ignores Range.
 * Every request is recorded with its headers.
 */
public final class FakeFileServer implements AutoCloseable {

    public record Request(String method, String path, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    @FunctionalInterface
    public interface Behavior {
        void serve(Request request, OutputStream out, Socket socket) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Map<String, Behavior> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public FakeFileServer() throws IOException {
        server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    /** {@code http://127.0.0.1:PORT} (use {@link #otherHostUrl()} for a second host name). */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The same server under another host name, for cross-host redirects. */
    public String otherHostUrl() {
        return "http://localhost:" + server.getLocalPort();
    }

    public FakeFileServer on(String path, Behavior behavior) {
        routes.put(path, behavior);
        return this;
    }

    public List<Request> requests() {
        return requests;
    }

    public List<Request> gets(String path) {
        return requests.stream().filter(r -> r.method().equals("GET") && r.path().equals(path)).toList();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> handle(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String line = line(in);
            if (line == null) {
                return;
            }
            String[] parts = line.split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int c = h.indexOf(':');
                headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
            }
            Request request = new Request(parts[0], parts[1], headers);
            requests.add(request);
            Behavior b = routes.getOrDefault(parts[1], status(404));
            b.serve(request, socket.getOutputStream(), socket);
            socket.getOutputStream().flush();
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String s = buf.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            buf.write(b);
        }
        return null;
    }

    private static void head(OutputStream out, int status, Map<String, String> headers) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 " + status + " X\r\nConnection: close\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Behavior status(int status) {
        return (r, out, s) -> head(out, status, Map.of("Content-Length", "0"));
    }

    public static Behavior redirect(String location, Map<String, String> extraHeaders) {
        return (r, out, s) -> {
            Map<String, String> h = new LinkedHashMap<>(extraHeaders);
            h.put("Location", location);
            h.put("Content-Length", "0");
            head(out, 302, h);
        };
    }

    /** A well-behaved file: HEAD, Range with If-Range against {@code etag}, 416 past the end. */
    public static Behavior file(byte[] content, String etag) {
        return file(content, etag, true, 0, Duration.ZERO, new AtomicInteger(1), 0);
    }

    /** The first GET is cut after {@code cutAt} bytes; later ones are served normally. */
    public static Behavior cutOnce(byte[] content, String etag, int cutAt) {
        return file(content, etag, true, cutAt, Duration.ZERO, new AtomicInteger(0), 1);
    }

    /** The first GET sends {@code after} bytes, then nothing for {@code pause}. */
    public static Behavior stallOnce(byte[] content, String etag, int after, Duration pause) {
        return file(content, etag, true, after, pause, new AtomicInteger(0), 1);
    }

    /** Ignores Range: always the whole file with 200. */
    public static Behavior noRange(byte[] content) {
        return file(content, null, false, 0, Duration.ZERO, new AtomicInteger(1), 0);
    }

    /** Serves slowly (about {@code millis} in all), so that concurrent pulls overlap. */
    public static Behavior slow(byte[] content, String etag, long millis) {
        return (r, out, s) -> {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Length", Integer.toString(content.length));
            h.put("ETag", etag);
            head(out, 200, h);
            if (r.method().equals("HEAD")) {
                return;
            }
            int step = Math.max(1, content.length / 10);
            for (int i = 0; i < content.length; i += step) {
                out.write(content, i, Math.min(step, content.length - i));
                out.flush();
                Thread.sleep(millis / 10);
            }
        };
    }

    private static Behavior file(byte[] content, String etag, boolean ranges, int faultAt, Duration pause,
                                 AtomicInteger gets, int faultyGets) {
        return (r, out, s) -> {
            Map<String, String> h = new LinkedHashMap<>();
            if (etag != null) {
                h.put("ETag", etag);
            }
            if (ranges) {
                h.put("Accept-Ranges", "bytes");
            }
            long from = 0;
            String range = r.header("range");
            boolean rangeValid = range != null && ranges
                    && (r.header("if-range") == null || r.header("if-range").equals(etag));
            if (rangeValid) {
                from = Long.parseLong(range.substring(6, range.indexOf('-')));
                if (from >= content.length) {
                    h.put("Content-Range", "bytes */" + content.length);
                    h.put("Content-Length", "0");
                    head(out, 416, h);
                    return;
                }
                h.put("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            }
            h.put("Content-Length", Long.toString(content.length - from));
            head(out, rangeValid ? 206 : 200, h);
            if (r.method().equals("HEAD")) {
                return;
            }
            boolean faulty = gets.getAndIncrement() < faultyGets;
            if (faulty && pause.isZero()) {
                out.write(content, (int) from, Math.max(0, faultAt - (int) from));
                out.flush();
                s.shutdownOutput();
                return;
            }
            if (faulty) {
                out.write(content, (int) from, faultAt - (int) from);
                out.flush();
                Thread.sleep(pause);
                return;
            }
            out.write(content, (int) from, content.length - (int) from);
        };
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
