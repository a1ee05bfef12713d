package dev.pixelsense.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A static file server for the pull benchmark, fast enough that the client is what gets measured:
 * HTTP/1.1 with keep-alive, GET and HEAD of the regular files under one directory, bodies sent with
 * {@link FileChannel#transferTo} (zero-copy sendfile on Linux), {@code Content-Length}, a strong
 * {@code ETag} and {@code Last-Modified}, single {@code Range} requests ({@code bytes=A-},
 * {@code bytes=A-B}, {@code bytes=-N}) answered with 206 or 416, and {@code If-Range} (a validator
 * that does not match gets the whole file, as RFC 9110 says). No chunked request bodies, no
 * multi-range, no TLS. Binds to loopback only; one virtual thread per connection.
 *
 * <p>Run: {@code java ... StaticFileServer ROOT [PORT]}; prints {@code listening PORT} on stdout once
 * it accepts connections, serves until killed.
 */
final class StaticFileServer implements AutoCloseable {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final int MAX_HEADER = 16 * 1024;

    private final Path root;
    private final ServerSocketChannel server;

    StaticFileServer(Path root, int port) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    void serve() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().start(() -> connection(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void connection(SocketChannel client) {
        try (client) {
            client.socket().setTcpNoDelay(true);
            ByteBuffer in = ByteBuffer.allocate(MAX_HEADER);
            while (true) {
                String head = readHead(client, in);
                if (head == null || !respond(client, head)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away (curl -o /dev/null of a killed pull, a resume test): nothing to do
        }
    }

    /** The request line and headers, or null at end of stream; keeps any bytes after them in {@code in}. */
    private static String readHead(SocketChannel client, ByteBuffer in) throws IOException {
        while (true) {
            int end = indexOfBlankLine(in);
            if (end >= 0) {
                String head = new String(in.array(), 0, end, StandardCharsets.ISO_8859_1);
                int used = end + 4;
                System.arraycopy(in.array(), used, in.array(), 0, in.position() - used);
                in.position(in.position() - used);
                return head;
            }
            if (!in.hasRemaining() || client.read(in) < 0) {
                return null;
            }
        }
    }

    private static int indexOfBlankLine(ByteBuffer in) {
        byte[] a = in.array();
        for (int i = 0; i + 3 < in.position(); i++) {
            if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Answers one request; false when the connection must close. */
    private boolean respond(SocketChannel client, String head) throws IOException {
        String[] lines = head.split("\r\n");
        String[] request = lines[0].split(" ");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        boolean keepAlive = request.length == 3 && request[2].equals("HTTP/1.1")
                && !"close".equalsIgnoreCase(headers.get("connection"));
        if (request.length != 3 || !(request[0].equals("GET") || request[0].equals("HEAD"))) {
            send(client, "405 Method Not Allowed", "Allow: GET, HEAD\r\nContent-Length: 0\r\n", false);
            return false;
        }
        Path file = resolve(request[1]);
        if (file == null) {
            send(client, "404 Not Found", "Content-Length: 0\r\n", keepAlive);
            return keepAlive;
        }
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified) + "\"";
        String lastModified = HTTP_DATE.format(java.time.Instant.ofEpochMilli(modified));
        String validators = "ETag: " + etag + "\r\nLast-Modified: " + lastModified + "\r\nAccept-Ranges: bytes\r\n";
        long from = 0;
        long to = size - 1;
        String status = "200 OK";
        String range = headers.get("range");
        String ifRange = headers.get("if-range");
        boolean rangeApplies = range != null && (ifRange == null || ifRange.equals(etag) || ifRange.equals(lastModified));
        if (rangeApplies && range.startsWith("bytes=") && !range.contains(",")) {
            String spec = range.substring(6).trim();
            int dash = spec.indexOf('-');
            try {
                if (dash == 0) {
                    from = Math.max(0, size - Long.parseLong(spec.substring(1)));
                } else if (dash > 0) {
                    from = Long.parseLong(spec.substring(0, dash));
                    to = dash == spec.length() - 1 ? size - 1 : Math.min(size - 1, Long.parseLong(spec.substring(dash + 1)));
                }
                if (from >= size || from > to) {
                    send(client, "416 Range Not Satisfiable", "Content-Range: bytes */" + size
                            + "\r\nContent-Length: 0\r\n" + validators, keepAlive);
                    return keepAlive;
                }
                status = "206 Partial Content";
                validators += "Content-Range: bytes " + from + "-" + to + "/" + size + "\r\n";
            } catch (NumberFormatException e) {
                from = 0;
                to = size - 1; // a malformed Range is ignored
            }
        }
        long length = to - from + 1;
        send(client, status, "Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n" + validators,
                keepAlive);
        if (request[0].equals("GET")) {
            try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
                for (long sent = 0; sent < length; ) {
                    sent += fc.transferTo(from + sent, length - sent, client);
                }
            }
        }
        return keepAlive;
    }

    /** The regular file a request path names inside the root, or null. */
    private Path resolve(String target) {
        try {
            String path = URI.create(target).getPath();
            Path p = root.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
            return p.startsWith(root) && Files.isRegularFile(p) ? p : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void send(SocketChannel client, String status, String headers, boolean keepAlive) throws IOException {
        String head = "HTTP/1.1 " + status + "\r\nDate: " + HTTP_DATE.format(java.time.Instant.now()) + "\r\n" + headers
                + (keepAlive ? "" : "Connection: close\r\n") + "\r\n";
        ByteBuffer b = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            client.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: StaticFileServer ROOT [PORT]");
            System.exit(2);
        }
        StaticFileServer s = new StaticFileServer(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 0);
        System.out.println("listening " + s.port());
        System.out.flush();
        s.serve();
    }
}
