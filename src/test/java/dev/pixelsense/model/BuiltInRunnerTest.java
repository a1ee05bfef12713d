package dev.pixelsense.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import dev.pixelsense.testing.TinyGguf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real llama.cpp generation in a real built-in runner process, on a tiny random-weight GGUF the
 * test writes: the output is gibberish, the plumbing is real (load, chat template, streaming,
 * limits, seeds, stop sequences, usage, unload).
 */
class BuiltInRunnerTest {
    @TempDir
    static Path dir;
    private static TestServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        Path tiny = TinyGguf.write(dir.resolve("tiny.gguf"), 7);
        server = TestServer.start("""
                models:
                  - id: tiny
                    backend: llamacpp
                    model: %s
                    threads: 2
                    max_concurrency: 2
                    defaults: {context_size: 512}
                """.formatted(tiny));
        client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("x").maxRetries(0)
                .timeout(Duration.ofSeconds(120)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static ChatCompletionCreateParams.Builder ask(String prompt) {
        return ChatCompletionCreateParams.builder().model("tiny").addSystemMessage("Be terse.").addUserMessage(prompt);
    }

    @Test
    void should_generate_a_whole_answer_with_usage_and_a_length_limit() {
        ChatCompletion answer = client.chat().completions().create(ask("Hello").maxCompletionTokens(8L).build());

        assertThat(answer.model()).isEqualTo("tiny");
        assertThat(answer.choices().getFirst().message().content()).isPresent();
        var usage = answer.usage().orElseThrow();
        assertThat(usage.promptTokens()).isGreaterThan(5);
        assertThat(usage.completionTokens()).isBetween(1L, 8L);
    }

    @Test
    void should_stream_tokens_through_the_runner() {
        List<String> pieces = new ArrayList<>();
        List<Long> usage = new ArrayList<>();
        // greedy, so the streamed answer can be compared with the whole one (and a sampled answer
        // of random weights cannot end after one piece)
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ask("Count")
                .maxCompletionTokens(16L).temperature(0.0)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(c -> {
                c.usage().ifPresent(u -> usage.add(u.completionTokens()));
                c.choices().forEach(ch -> ch.delta().content().filter(t -> !t.isEmpty()).ifPresent(pieces::add));
            });
        }
        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(usage).singleElement().satisfies(n -> assertThat(n).isBetween(1L, 16L));
        String whole = client.chat().completions().create(ask("Count").maxCompletionTokens(16L).temperature(0.0).build())
                .choices().getFirst().message().content().orElse("");
        assertThat(String.join("", pieces)).isEqualTo(whole);
    }

    @Test
    void should_repeat_a_seeded_answer() {
        ChatCompletionCreateParams seeded = ask("Say something").maxCompletionTokens(12L).seed(1234L)
                .temperature(1.0).build();
        String first = client.chat().completions().create(seeded).choices().getFirst().message().content().orElse("");
        String second = client.chat().completions().create(seeded).choices().getFirst().message().content().orElse("");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void should_stop_at_a_stop_sequence() {
        ChatCompletionCreateParams free = ask("Go on").maxCompletionTokens(40L).seed(99L).temperature(1.0).build();
        String text = client.chat().completions().create(free).choices().getFirst().message().content().orElse("");
        // a one-letter stop string from the second half of the seeded answer: the same seed must
        // stop right before its first occurrence (random weights give random bytes, many of them
        // invalid UTF-8, so a printable ASCII letter is what can be matched reliably)
        String stop = null;
        for (int i = text.length() / 2; i < text.length() && stop == null; i++) {
            if (Character.isLetter(text.charAt(i)) && text.charAt(i) < 128) {
                stop = String.valueOf(text.charAt(i));
            }
        }
        assertThat(stop).as("no ASCII letter in the second half of the tiny model's answer: " + text).isNotNull();

        String stopped = client.chat().completions().create(free.toBuilder().stop(stop).build()).choices().getFirst()
                .message().content().orElse("");

        assertThat(stopped).isEqualTo(text.substring(0, text.indexOf(stop)));
    }

    @Test
    void should_free_the_slot_when_a_streaming_client_goes_away() throws Exception {
        // a bigger model, so that an answer takes seconds and leaving mid-stream is a real cancellation
        Path slow = TinyGguf.write(dir.resolve("slow.gguf"), 3, new TinyGguf.Options(6, 512, 8, 8, 1024, 4096,
                TinyGguf.CHATML_TEMPLATE));
        try (TestServer one = TestServer.start("""
                models:
                  - id: slow
                    backend: llamacpp
                    model: %s
                    threads: 2
                    max_concurrency: 1
                    defaults: {context_size: 4096}
                """.formatted(slow))) {
            // logit_bias -100 on the end-of-sequence token: a random model would otherwise stop by chance
            String request = "{\"model\":\"slow\",\"stream\":true,\"max_tokens\":3000,\"logit_bias\":{\""
                    + TinyGguf.EOS + "\":-100},"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Talk\"}]}";
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", one.port())) {
                socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + request.length() + "\r\n\r\n" + request)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                byte[] some = new byte[2048];
                int got = 0;
                while (got < 1500) {
                    got += socket.getInputStream().read(some, 0, some.length);
                }
            }
            long t0 = System.nanoTime();
            RawHttp.Response next = RawHttp.post(one.port(), "/v1/chat/completions",
                    "{\"model\":\"slow\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                    Map.of());
            System.out.printf("after a client left a 3000-token stream, the next answer (one slot) took %.0f ms%n",
                    (System.nanoTime() - t0) / 1e6);
            assertThat(next.status()).isEqualTo(200);
            String metrics = RawHttp.get(one.port(), "/metrics", Map.of()).body();
            assertThat(metrics).contains("pixelsense_model_requests_total{model=\"slow\",outcome=\"cancelled\"} 1");
        }
    }

    @Test
    void should_chat_with_a_local_model_from_the_command_line() throws Exception {
        java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("cli.yaml"), """
                models:
                  - id: tiny-cli
                    backend: llamacpp
                    model: %s
                    defaults: {context_size: 256}
                """.formatted(dir.resolve("tiny.gguf")));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        int code;
        try {
            // greedy: a sampled answer of random weights can be all whitespace, and this test would flicker
            code = dev.pixelsense.cli.Main.run("chat", "--local", "--config", config.toString(), "tiny-cli", "Hello",
                    "--max-tokens", "6", "--temperature", "0");
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        assertThat(out.toString()).isNotBlank();
    }

    /** Runs a command; its stdout, or a failure with what it printed on stderr. */
    private static String cli(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldOut = System.out;
        java.io.PrintStream oldErr = System.err;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            code = dev.pixelsense.cli.Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertThat(code).as(err.toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void should_stop_its_runner_even_when_the_server_is_killed() throws Exception {
        Path config = java.nio.file.Files.writeString(dir.resolve("killed.yaml"), """
                models:
                  - id: tiny-killed
                    backend: llamacpp
                    model: %s
                    defaults: {context_size: 256}
                """.formatted(dir.resolve("tiny.gguf")));
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.pixelsense.cli.Main", "serve", "--config", config.toString(), "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed-serve.log").toFile()).start();
        ProcessHandle runner = null;
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            RawHttp.Response loaded = null;
            while (loaded == null || loaded.status() != 200) {
                assertThat(serve.isAlive()).as("serve running").isTrue();
                assertThat(System.nanoTime()).as("model loaded within 60 s").isLessThan(deadline);
                try {
                    loaded = RawHttp.post(port, "/api/models/tiny-killed/load", "{}", Map.of());
                } catch (java.io.IOException notYet) {
                    Thread.sleep(100);
                }
            }
            long pid = RawHttp.get(port, "/api/ps", Map.of()).json().path("models").get(0).path("pid").asLong();
            runner = ProcessHandle.of(pid).orElseThrow();
            // on the way: the runner's output reaches the server log, without llama.cpp's per-request lines
            assertThat(RawHttp.post(port, "/v1/chat/completions",
                    "{\"model\":\"tiny-killed\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                    Map.of()).status()).isEqualTo(200);
            String serveLog = settled(dir.resolve("killed-serve.log"));
            assertThat(serveLog).contains("[tiny-killed] llama_model_loader").doesNotContain("launch_slot_");
            assertThat(runner.isAlive()).isTrue();

            serve.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook stops the runner

            assertThat(runner.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS).isAlive())
                    .as("the runner follows its server out").isFalse();
        } finally {
            serve.destroyForcibly();
            if (runner != null) {
                runner.destroyForcibly();
            }
        }
    }

    /** The file's text once it has not grown for half a second (the runner's output is forwarded as it comes). */
    private static String settled(Path log) throws Exception {
        long size = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (size != java.nio.file.Files.size(log) && System.nanoTime() < deadline) {
            size = java.nio.file.Files.size(log);
            Thread.sleep(500);
        }
        return java.nio.file.Files.readString(log);
    }

    @Test
    void should_show_the_runner_in_ps_and_unload_it() throws Exception {
        // as a user would: chat from the command line (through the running server), then look
        cli("chat", "--url", server.baseUrl(), "tiny", "Hi", "--max-tokens", "2", "--temperature", "0");
        assertThat(cli("ps", "--url", server.baseUrl())).contains("tiny").contains("builtin").contains("UNLOADS AT");
        RawHttp.Response ps = RawHttp.get(server.port(), "/api/ps", Map.of());
        assertThat(ps.json().path("models")).singleElement().satisfies(m -> {
            assertThat(m.path("runner").asText()).isEqualTo("builtin");
            assertThat(m.path("memory_bytes").asLong()).isGreaterThan(10L << 20);
        });
        long pid = ps.json().path("models").get(0).path("pid").asLong();

        assertThat(RawHttp.post(server.port(), "/api/models/tiny/unload", "", Map.of()).status()).isEqualTo(200);

        assertThat(RawHttp.get(server.port(), "/api/ps", Map.of()).json().path("models")).isEmpty();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(client.chat().completions().create(ask("Again").maxCompletionTokens(2L).build()).choices()).hasSize(1);
    }
}
