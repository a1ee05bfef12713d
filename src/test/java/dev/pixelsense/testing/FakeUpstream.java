package dev.pixelsense.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local server speaking OpenAI's Chat Completions wire format on raw sockets, scripted per test:
 * whole answers, SSE streams with delays, error bodies with any status and headers, a connection
 * dropped mid-stream, or a request held open until the client goes away (recording when it
 * noticed). Raw sockets, so a client's disconnect is seen the moment it happens.
 */
public final class FakeUpstream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A received request. */
    public record Received(String method, String path, Map<String, String> headers, JsonNode body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What to do with a request. */
    @FunctionalInterface
    public interface Script {
        void answer(Received request, Reply reply) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Script> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Script fallbackScript = (r, reply) -> reply.text("hello from fake", 5, 2);
    private volatile long clientGoneNanos;
    private volatile boolean closed;

    public FakeUpstream() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The script for every request not taken by {@link #next(Script)}. */
    public FakeUpstream always(Script script) {
        this.fallbackScript = script;
        return this;
    }

    /** A script used once, by the next request. */
    public FakeUpstream next(Script script) {
        queued.add(script);
        return this;
    }

    public List<Received> received() {
        return received;
    }

    public Received last() {
        return received.getLast();
    }

    public int connections() {
        return connections.get();
    }

    /** System.nanoTime() at which a held request saw its client disconnect, or 0. */
    public long clientGoneNanos() {
        return clientGoneNanos;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                Received request = read(in);
                if (request == null) {
                    return;
                }
                received.add(request);
                Script script = queued.poll();
                Reply reply = new Reply(socket, in, out);
                (script != null ? script : fallbackScript).answer(request, reply);
                if (reply.closeAfter) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away or the test ended
        }
    }

    private static Received read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        JsonNode json = length == 0 ? null : JSON.readTree(body);
        return new Received(parts[0], parts[1], headers, json);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = buf.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** How a script answers. */
    public final class Reply {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean closeAfter;

        Reply(Socket socket, InputStream in, OutputStream out) {
            this.socket = socket;
            this.in = in;
            this.out = out;
        }

        public void json(int status, String body, String... headerPairs) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\n");
            for (int i = 0; i < headerPairs.length; i += 2) {
                head.append(headerPairs[i]).append(": ").append(headerPairs[i + 1]).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
        }

        /** A whole chat completion with this text and usage. */
        public void text(String content, int promptTokens, int completionTokens) throws IOException {
            json(200, completion(JSON.createObjectNode().put("role", "assistant").put("content", content), "stop",
                    promptTokens, completionTokens));
        }

        public void error(int status, String message, String... headerPairs) throws IOException {
            json(status, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"server_error\",\"param\":null,"
                    + "\"code\":null}}", headerPairs);
        }

        /** Starts an SSE response. */
        public void sseHeaders() throws IOException {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            closeAfter = true;
        }

        public void event(String data) throws IOException {
            out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** A streamed answer: one chunk per token, then finish, usage (if asked) and [DONE]. */
        public void stream(List<String> tokens, long delayMillis) throws IOException, InterruptedException {
            sseHeaders();
            event(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
            for (String t : tokens) {
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                event(chunk("{\"content\":" + JSON.writeValueAsString(t) + "}", null));
            }
            event(chunk("{}", "stop"));
            event("{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"up\","
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":" + tokens.size()
                    + ",\"total_tokens\":" + (7 + tokens.size()) + "}}");
            event("[DONE]");
        }

        /** Sends a few chunks, then drops the connection without finishing. */
        public void streamThenDrop(List<String> tokens) throws IOException {
            sseHeaders();
            for (String t : tokens) {
                event(chunk("{\"content\":" + JSON.writeValueAsString(t) + "}", null));
            }
            // FIN, not RST: a reset can make the peer's kernel drop chunks it has not read yet
            socket.shutdownOutput();
            closeAfter = true;
        }

        /** Holds the request without answering until the client disconnects (or 30 s pass). */
        public void holdUntilClientGone(boolean sendHeaders) throws IOException {
            if (sendHeaders) {
                sseHeaders();
            }
            socket.setSoTimeout(30_000);
            try {
                while (in.read() != -1) {
                    // a well-behaved client sends nothing more
                }
                clientGoneNanos = System.nanoTime();
            } catch (IOException e) {
                clientGoneNanos = System.nanoTime();
            }
            closeAfter = true;
        }

        public void close() throws IOException {
            closeAfter = true;
            socket.close();
        }
    }

    public static String chunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"up\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    public static String completion(JsonNode message, String finishReason, int promptTokens, int completionTokens) {
        var root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake").put("object", "chat.completion").put("created", 1).put("model", "up");
        var choice = root.putArray("choices").addObject();
        choice.put("index", 0).set("message", message);
        choice.put("finish_reason", finishReason);
        root.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return root.toString();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
