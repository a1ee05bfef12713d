package dev.pixelsense.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A stand-in for llama.cpp's {@code llama-server}, run as a real process by {@link #script}: it
 * takes llama-server's flags (recording them to {@code $FAKE_LLAMA_ARGS}), answers {@code /health}
 * with 503 while "loading" and 200 after, and streams chat answers token by token
 * ({@code $FAKE_LLAMA_TOKENS} tokens, {@code $FAKE_LLAMA_DELAY_MS} apart).
 */
public final class FakeLlamaServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeLlamaServer() {
    }

    /**
     * Writes an executable {@code llama-server} script that starts this class on the test class
     * path, with {@code env} (the FAKE_LLAMA_* settings) exported.
     */
    public static Path script(Path dir, java.util.Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path script = dir.resolve("llama-server");
        StringBuilder text = new StringBuilder("#!/bin/sh\n");
        env.forEach((k, v) -> text.append("export ").append(k).append("='").append(v).append("'\n"));
        text.append("exec '").append(java).append("' -Xmx64m -XX:TieredStopAtLevel=1 -cp '")
                .append(System.getProperty("java.class.path")).append("' ").append(FakeLlamaServer.class.getName())
                .append(" \"$@\"\n");
        Files.writeString(script, text);
        script.toFile().setExecutable(true);
        return script;
    }

    public static void main(String[] args) throws Exception {
        List<String> argv = List.of(args);
        String argsFile = System.getenv("FAKE_LLAMA_ARGS");
        if (argsFile != null) {
            Files.writeString(Path.of(argsFile), String.join(" ", argv) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        int port = Integer.parseInt(argv.get(argv.indexOf("--port") + 1));
        int tokens = Integer.parseInt(env("FAKE_LLAMA_TOKENS", "5"));
        long delay = Long.parseLong(env("FAKE_LLAMA_DELAY_MS", "0"));
        long readyAt = System.currentTimeMillis() + Long.parseLong(env("FAKE_LLAMA_LOAD_MS", "300"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/health", ex -> {
            boolean ready = System.currentTimeMillis() >= readyAt;
            send(ex, ready ? 200 : 503, ready ? "{\"status\":\"ok\"}" : "{\"error\":{\"message\":\"Loading model\"}}");
        });
        server.createContext("/v1/chat/completions", ex -> chat(ex, tokens, delay));
        server.start();
        System.out.println("fake llama-server listening on " + port);
    }

    private static void chat(HttpExchange ex, int tokens, long delay) throws IOException {
        JsonNode req = JSON.readTree(ex.getRequestBody());
        String last = req.path("messages").get(req.path("messages").size() - 1).path("content").toString();
        if (!req.path("stream").asBoolean()) {
            send(ex, 200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake\",\"choices\":"
                    + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + JSON.writeValueAsString("echo " + last)
                    + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,"
                    + "\"total_tokens\":5}}");
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < tokens; i++) {
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                out.write(("data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t" + i + " \"},\"finish_reason\":null}]}\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write(("data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\","
                    + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }
}
