package dev.pixelsense.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.testing.FakeLlamaServer;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local-model lifecycle through a real runner process: llama-server's protocol played by a
 * stand-in executable (real process, real port, real /health), so supervision, keep-alive,
 * unload, and crash recovery run for real without model weights.
 */
class LocalModelLifecycleTest {

    @TempDir
    Path dir;

    private TestServer server(Map<String, String> fakeEnv, String keepAlive) throws Exception {
        Path gguf = Files.writeString(dir.resolve("model.gguf"), "not read by the stand-in");
        Path mmproj = Files.writeString(dir.resolve("mmproj.gguf"), "not read either");
        Path bin = FakeLlamaServer.script(dir, fakeEnv);
        return TestServer.start("""
                models:
                  - id: local-vl
                    backend: llamacpp
                    model: %s
                    mmproj: %s
                    llama_server: %s
                    keep_alive: %s
                    max_concurrency: 2
                    defaults: {context_size: 2048}
                """.formatted(gguf, mmproj, bin, keepAlive));
    }

    private static String chat(boolean stream, String extra) {
        return "{\"model\":\"local-vl\",\"stream\":" + stream + extra
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void should_start_a_runner_with_llama_server_flags_and_answer_through_it() throws Exception {
        Path args = dir.resolve("args.txt");
        try (TestServer server = server(Map.of("FAKE_LLAMA_ARGS", args.toString()), "5m")) {
            RawHttp.Response whole = RawHttp.post(server.port(), "/v1/chat/completions", chat(false, ""), Map.of());
            assertThat(whole.status()).as(whole.body()).isEqualTo(200);
            assertThat(whole.json().path("model").asText()).isEqualTo("local-vl");
            RawHttp.Response streamed = RawHttp.post(server.port(), "/v1/chat/completions", chat(true, ""), Map.of());
            assertThat(streamed.body()).contains("\"content\":\"t0 \"").contains("[DONE]");

            String argv = Files.readString(args).strip();
            assertThat(argv).contains("-m " + dir.resolve("model.gguf")).contains("--mmproj " + dir.resolve("mmproj.gguf"))
                    .contains("-c 4096").contains("-np 2").contains("-ngl 0").contains("--host 127.0.0.1")
                    .contains("--port ");
            assertThat(argv.lines()).as("one runner for both requests").hasSize(1);

            RawHttp.Response ps = RawHttp.get(server.port(), "/api/ps", Map.of());
            assertThat(ps.json().path("models")).singleElement().satisfies(m -> {
                assertThat(m.path("id").asText()).isEqualTo("local-vl");
                assertThat(m.path("runner").asText()).isEqualTo("llama-server");
                assertThat(m.path("pid").asLong()).isPositive();
                assertThat(m.path("memory_bytes").asLong()).isPositive();
                assertThat(m.path("expires_at").asText()).isNotEmpty();
            });
        }
    }

    @Test
    void should_unload_after_keep_alive_and_reload_on_the_next_request() throws Exception {
        try (TestServer server = server(Map.of(), "1s")) {
            assertThat(RawHttp.post(server.port(), "/v1/chat/completions", chat(false, ""), Map.of()).status())
                    .isEqualTo(200);
            long pid = ProcessHandle.of(firstPid(server)).orElseThrow().pid();
            await(() -> loaded(server) == 0, Duration.ofSeconds(10));
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

            assertThat(RawHttp.post(server.port(), "/v1/chat/completions", chat(false, ",\"keep_alive\":0"), Map.of())
                    .status()).isEqualTo(200);
            await(() -> loaded(server) == 0, Duration.ofSeconds(10));

            assertThat(RawHttp.post(server.port(), "/v1/chat/completions", chat(false, ",\"keep_alive\":-1"), Map.of())
                    .status()).isEqualTo(200);
            Thread.sleep(1500);
            assertThat(loaded(server)).as("keep_alive -1 keeps it").isEqualTo(1);
            assertThat(RawHttp.get(server.port(), "/api/ps", Map.of()).json().path("models").get(0)
                    .path("expires_at").isNull()).isTrue();
        }
    }

    @Test
    void should_load_and_unload_on_request() throws Exception {
        try (TestServer server = server(Map.of(), "5m")) {
            assertThat(RawHttp.post(server.port(), "/api/models/local-vl/load", "", Map.of()).status()).isEqualTo(200);
            assertThat(loaded(server)).isEqualTo(1);
            assertThat(RawHttp.post(server.port(), "/api/models/local-vl/unload", "", Map.of()).status()).isEqualTo(200);
            assertThat(loaded(server)).isZero();
            assertThat(RawHttp.post(server.port(), "/api/models/nope/load", "", Map.of()).status()).isEqualTo(404);
        }
    }

    @Test
    void should_load_list_and_unload_from_the_command_line() throws Exception {
        try (TestServer server = server(Map.of(), "5m")) {
            String url = server.baseUrl();
            assertThat(cli("ps", "--url", url)).contains("No models loaded.");
            assertThat(cli("load", "--url", url, "local-vl")).contains("loaded local-vl");
            assertThat(cli("ps", "--url", url)).contains("local-vl").contains("llama-server").contains("UNLOADS AT");
            assertThat(cli("unload", "--url", url, "local-vl")).contains("unloaded local-vl");
            assertThat(loaded(server)).isZero();
        }
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            assertThat(dev.pixelsense.cli.Main.run("ps", "--url", "http://127.0.0.1:9")).isEqualTo(1);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString()).startsWith("pixelsense: no pixelsense server at http://127.0.0.1:9");
    }

    private static String cli(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            assertThat(dev.pixelsense.cli.Main.run(args)).isZero();
        } finally {
            System.setOut(old);
        }
        return out.toString();
    }

    @Test
    void should_survive_a_runner_killed_mid_stream_and_reload() throws Exception {
        try (TestServer server = server(Map.of("FAKE_LLAMA_TOKENS", "200", "FAKE_LLAMA_DELAY_MS", "20"), "5m")) {
            assertThat(RawHttp.post(server.port(), "/api/models/local-vl/load", "", Map.of()).status()).isEqualTo(200);
            long pid = firstPid(server);
            Thread killer = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(500);
                    new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            RawHttp.Response broken = RawHttp.post(server.port(), "/v1/chat/completions", chat(true, ""), Map.of());
            killer.join();
            assertThat(broken.status()).isEqualTo(200);
            assertThat(broken.body()).contains("\"content\":\"t0 \"").contains("data: {\"error\":")
                    .doesNotContain("[DONE]");

            RawHttp.Response next = RawHttp.post(server.port(), "/v1/chat/completions", chat(false, ""), Map.of());
            assertThat(next.status()).as(next.body()).isEqualTo(200);
            assertThat(firstPid(server)).isNotEqualTo(pid);
            assertThat(RawHttp.get(server.port(), "/health", Map.of()).status()).isEqualTo(200);
        }
    }

    @Test
    void should_report_a_runner_that_cannot_start() throws Exception {
        Path gguf = Files.writeString(dir.resolve("model.gguf"), "x");
        try (TestServer server = TestServer.start("""
                models:
                  - id: broken
                    backend: llamacpp
                    model: %s
                    runner: llama-server
                    llama_server: %s
                """.formatted(gguf, dir.resolve("no-such-binary")))) {
            RawHttp.Response r = RawHttp.post(server.port(), "/v1/chat/completions",
                    "{\"model\":\"broken\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.error().path("message").asText()).contains("broken").contains("cannot start");
        }
    }

    @Test
    void should_auto_pull_a_model_file_on_first_use_and_count_it() throws Exception {
        byte[] weights = "pretend GGUF weights".repeat(1000).getBytes();
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(weights));
        try (dev.pixelsense.testing.FakeFileServer files = new dev.pixelsense.testing.FakeFileServer()) {
            files.on("/tiny.gguf", dev.pixelsense.testing.FakeFileServer.file(weights, "\"w1\""));
            Path args = dir.resolve("args.txt");
            Path bin = FakeLlamaServer.script(dir, Map.of("FAKE_LLAMA_ARGS", args.toString()));
            try (TestServer server = TestServer.start("""
                    store:
                      dir: %s
                    models:
                      - id: pulled
                        backend: llamacpp
                        model: %s/tiny.gguf#sha256=%s
                        runner: llama-server
                        llama_server: %s
                        auto_pull: true
                    """.formatted(dir.resolve("store"), files.url(), sha, bin))) {
                RawHttp.Response r = RawHttp.post(server.port(), "/v1/chat/completions",
                        "{\"model\":\"pulled\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(Files.readString(args)).contains("-m " + dir.resolve("store/blobs/sha256-" + sha));
                String metrics = RawHttp.get(server.port(), "/metrics", Map.of()).body();
                assertThat(metrics).contains("pixelsense_pull_files_total{outcome=\"downloaded\"} 1")
                        .contains("pixelsense_pull_bytes_total " + weights.length);
            }
        }
    }

    @Test
    void should_say_how_to_pull_a_model_that_is_not_in_the_cache() throws Exception {
        Path bin = FakeLlamaServer.script(dir, Map.of());
        try (TestServer server = TestServer.start("""
                store:
                  dir: %s
                models:
                  - id: notpulled
                    backend: llamacpp
                    model: hf://org/repo/model.gguf
                    runner: llama-server
                    llama_server: %s
                """.formatted(dir.resolve("store"), bin))) {
            RawHttp.Response r = RawHttp.post(server.port(), "/v1/chat/completions",
                    "{\"model\":\"notpulled\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.error().path("message").asText()).contains("pixelsense pull hf://org/repo/model.gguf")
                    .contains("auto_pull");
        }
    }

    private static long firstPid(TestServer server) throws Exception {
        return RawHttp.get(server.port(), "/api/ps", Map.of()).json().path("models").get(0).path("pid").asLong();
    }

    private static int loaded(TestServer server) {
        try {
            return RawHttp.get(server.port(), "/api/ps", Map.of()).json().path("models").size();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
