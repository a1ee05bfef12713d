package dev.pixelsense.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible upstream that costs (almost) nothing: {@code POST /v1/chat/completions}
 * reads the whole request body, then answers at once with a fixed {@code chat.completion}, or,
 * when the body asks for {@code "stream":true}, a fixed short SSE stream ending with a usage chunk
 * and {@code data: [DONE]}. Whatever latency remains is HTTP and JSON plumbing, which is what the
 * gateway benchmark wants to compare against. Handlers run on virtual threads.
 */
final class InstantUpstream implements AutoCloseable {
    static final String COMPLETION = """
            {"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the instant upstream."},\
            "finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":6,"total_tokens":18}}""";

    private static final byte[] COMPLETION_BYTES = COMPLETION.getBytes(StandardCharsets.UTF_8);
    private static final byte[] STREAM_BYTES = sse();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private InstantUpstream(HttpServer server) {
        this.server = server;
    }

    static InstantUpstream start() throws IOException {
        // Off by default in the JDK server: without it Nagle can hold a response's last segment back
        // for a delayed ACK (~40 ms), which would be the upstream's latency, not the gateway's.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        InstantUpstream upstream = new InstantUpstream(server);
        server.setExecutor(upstream.executor);
        server.createContext("/v1/chat/completions", InstantUpstream::answer);
        server.start();
        return upstream;
    }

    /** The base URL to configure as an OpenAI {@code base_url}, ending in {@code /v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean stream = asksForStream(body);
            byte[] answer = stream ? STREAM_BYTES : COMPLETION_BYTES;
            exchange.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    /**
     * Both the benchmark and pixelsense write compact JSON, so a text search is enough; parsing a
     * megabyte-sized image request here would add the same cost to both sides for nothing.
     */
    private static boolean asksForStream(byte[] body) {
        return new String(body, StandardCharsets.ISO_8859_1).contains("\"stream\":true");
    }

    private static byte[] sse() {
        String head = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"bench\",\"choices\":";
        StringBuilder sb = new StringBuilder();
        event(sb, head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
        for (String word : new String[] {"Hello", " from", " the", " instant", " upstream."}) {
            event(sb, head + "[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"},\"finish_reason\":null}]}");
        }
        event(sb, head + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
        event(sb, head + "[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":6,\"total_tokens\":18}}");
        event(sb, "[DONE]");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void event(StringBuilder sb, String data) {
        sb.append("data: ").append(data).append("\n\n");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
