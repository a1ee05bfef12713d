package dev.pixelsense.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.openai.OpenAiJson;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import dev.pixelsense.testing.TinyGguf;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The llama-server runner with the real binary: {@code PIXELSENSE_TEST_LLAMA_SERVER} (set by
 * scripts/test, which builds one with scripts/llama-server) or {@code llama-server} on PATH. Without
 * either the tests say so and are skipped; the same code paths run against a stand-in in
 * LocalModelLifecycleTest.
 */
class RealLlamaServerTest {
    @TempDir
    static Path dir;
    private static Path binary;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        binary = llamaServer();
        if (binary == null) {
            return; // each test says why it is skipped
        }
        Path tiny = TinyGguf.write(dir.resolve("tiny.gguf"), 5);
        server = TestServer.start("""
                models:
                  - id: real
                    backend: llamacpp
                    model: %s
                    runner: llama-server
                    llama_server: %s
                    threads: 2
                    defaults: {context_size: 512}
                """.formatted(tiny, binary));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void needsTheBinary() {
        assumeTrue(binary != null, "no llama-server: set PIXELSENSE_TEST_LLAMA_SERVER (scripts/test builds one with "
                + "scripts/llama-server) or put llama-server on PATH; the stand-in in LocalModelLifecycleTest covers "
                + "the same path");
    }

    static Path llamaServer() {
        String configured = System.getenv("PIXELSENSE_TEST_LLAMA_SERVER");
        if (configured != null && !configured.isBlank() && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        String path = System.getenv("PATH") == null ? "" : System.getenv("PATH");
        return Arrays.stream(path.split(":")).map(d -> Path.of(d, "llama-server")).filter(Files::isExecutable)
                .findFirst().orElse(null);
    }

    private static String chat(boolean stream, int maxTokens) {
        // greedy, and the end-of-sequence token banned: random weights would otherwise stop by chance
        return "{\"model\":\"real\",\"stream\":" + stream + ",\"max_tokens\":" + maxTokens
                + ",\"temperature\":0,\"logit_bias\":{\"" + TinyGguf.EOS + "\":-100},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static long runnerPid() throws Exception {
        return RawHttp.get(server.port(), "/api/ps", Map.of()).json().path("models").get(0).path("pid").asLong();
    }

    @Test
    void should_serve_a_tiny_model_through_the_real_llama_server() throws Exception {
        RawHttp.Response r = RawHttp.post(server.port(), "/v1/chat/completions", chat(false, 4), Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("model").asText()).isEqualTo("real");
        assertThat(r.json().path("usage").path("completion_tokens").asInt()).isEqualTo(4);
        assertThat(RawHttp.get(server.port(), "/api/ps", Map.of()).json().path("models").get(0)
                .path("runner").asText()).isEqualTo("llama-server");
    }

    @Test
    void should_stream_what_the_whole_answer_says() throws Exception {
        String whole = RawHttp.post(server.port(), "/v1/chat/completions", chat(false, 12), Map.of()).json()
                .path("choices").get(0).path("message").path("content").asText();

        RawHttp.Response streamed = RawHttp.post(server.port(), "/v1/chat/completions", chat(true, 12), Map.of());

        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        StringBuilder text = new StringBuilder();
        for (String data : dataLines(streamed.body()).filter(d -> !d.equals("[DONE]")).toList()) {
            JsonNode chunk = OpenAiJson.MAPPER.readTree(data);
            assertThat(chunk.path("model").asText()).isEqualTo("real");
            JsonNode choices = chunk.path("choices");
            if (!choices.isEmpty()) {
                text.append(choices.get(0).path("delta").path("content").asText(""));
            }
        }
        assertThat(whole).isNotEmpty();
        assertThat(text.toString()).isEqualTo(whole);
    }

    @Test
    void should_survive_llama_server_killed_mid_stream_and_reload() throws Exception {
        RawHttp.post(server.port(), "/api/models/real/load", "", Map.of());
        long pid = runnerPid();
        String request = chat(true, 480);
        String body;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " + request.length()
                    + "\r\n\r\n" + request).getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            // kill the runner once content is flowing, so the answer is cut mid-stream
            while (!got.toString(StandardCharsets.UTF_8).contains("\"content\":\"")) {
                int n = in.read(buffer);
                assertThat(n).as("the stream ended before any content").isPositive();
                got.write(buffer, 0, n);
            }
            new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
            in.transferTo(got);
            body = got.toString(StandardCharsets.UTF_8);
        }

        assertThat(body).startsWith("HTTP/1.1 200").contains("data: {\"error\":").doesNotContain("[DONE]");
        RawHttp.Response next = RawHttp.post(server.port(), "/v1/chat/completions", chat(false, 2), Map.of());
        assertThat(next.status()).as(next.body()).isEqualTo(200);
        assertThat(runnerPid()).isNotEqualTo(pid);
    }

    private static Stream<String> dataLines(String body) {
        return body.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring("data: ".length()));
    }
}
