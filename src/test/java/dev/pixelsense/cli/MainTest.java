package dev.pixelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.Version;
import dev.pixelsense.testing.FakeUpstream;
import dev.pixelsense.testing.Images;
import dev.pixelsense.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line through Main.run, with stdout and stderr captured. */
class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;
    private FakeUpstream upstream;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws Exception {
        System.setOut(originalOut);
        System.setErr(originalErr);
        if (upstream != null) {
            upstream.close();
        }
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private List<String> stderrLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** Exactly one line on stderr, starting "pixelsense: ", and no stack trace; returns it. */
    private String oneErrorLine() {
        List<String> lines = stderrLines();
        assertThat(lines).as("stderr").hasSize(1).noneMatch(l -> l.startsWith("\tat "));
        assertThat(lines.getFirst()).startsWith("pixelsense: ");
        return lines.getFirst();
    }

    /** The last line on stderr (a server in this JVM logs too), with no stack trace anywhere. */
    private String lastErrorLine() {
        List<String> lines = stderrLines();
        assertThat(lines).as("stderr").isNotEmpty().noneMatch(l -> l.startsWith("\tat "));
        return lines.getLast();
    }

    private Path config(String yaml) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Path fakeModelConfig() throws Exception {
        upstream = new FakeUpstream();
        // no server listens at the address this config gives (port 9, discard), so chat runs in process
        return config("""
                server:
                  port: 9
                models:
                  - id: vision-1
                    backend: openai
                    base_url: %s
                    api_key: upstream-secret
                    aliases: [v]
                """.formatted(upstream.baseUrl()));
    }

    // --- version and help ------------------------------------------------------------------------

    @Test
    void should_print_the_version() {
        int code = Main.run("version");
        assertThat(code).isZero();
        assertThat(stdout()).startsWith("pixelsense " + Version.get() + " (Java " + Runtime.version() + ", ")
                .endsWith(")" + System.lineSeparator());
        assertThat(stderrLines()).isEmpty();
    }

    @Test
    void should_print_the_version_for_the_version_flag() {
        int code = Main.run("--version");
        assertThat(code).isZero();
        assertThat(stdout()).isEqualTo("pixelsense " + Version.get() + " (Java " + Runtime.version() + ")"
                + System.lineSeparator());
    }

    @Test
    void should_print_usage_that_lists_the_subcommands() {
        int code = Main.run("--help");
        assertThat(code).isZero();
        assertThat(stdout()).contains("Usage: pixelsense", "serve", "models", "chat", "version");
    }

    // --- models ls -----------------------------------------------------------------------------

    @Test
    void should_list_the_configured_models_as_a_table() throws Exception {
        // given
        Path file = config("""
                models:
                  - id: gpt-vision
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                    aliases: [default, gv]
                    fallbacks: [local, text-only]
                  - id: local
                    backend: openai
                    preset: ollama
                  - id: text-only
                    backend: openai
                    preset: vllm
                    capabilities: {vision: false, tools: false}
                  - id: seeing
                    backend: openai
                    preset: vllm
                    capabilities: {tools: false}
                """);
        // when
        int code = Main.run("models", "ls", "--config", file.toString());
        // then
        assertThat(code).isZero();
        List<String[]> rows = stdout().lines().map(l -> l.trim().split("\\s+")).toList();
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).containsExactly("ID", "BACKEND", "CAPS", "ALIASES", "FALLBACKS");
        assertThat(rows.get(1)).containsExactly("gpt-vision", "openai", "vision,tools", "default,gv", "local", "->",
                "text-only");
        assertThat(rows.get(2)).containsExactly("local", "openai", "vision,tools", "-", "-");
        assertThat(rows.get(3)).containsExactly("text-only", "openai", "-", "-", "-");
        assertThat(rows.get(4)).containsExactly("seeing", "openai", "vision", "-", "-");
        // and the columns line up under the header
        List<String> lines = stdout().lines().toList();
        int backendColumn = lines.get(0).indexOf("BACKEND");
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l.substring(backendColumn)).startsWith("openai"));
        assertThat(stderrLines()).isEmpty();
    }

    @Test
    void should_say_how_to_add_models_when_there_are_none() throws Exception {
        Path file = config("server:\n  port: 8080\n");
        int code = Main.run("models", "ls", "-c", file.toString());
        assertThat(code).isZero();
        assertThat(stdout()).isEqualTo("No models configured in " + file
                + ". Add entries under 'models:' (see README, Configuration)." + System.lineSeparator());
    }

    @Test
    void should_exit_2_with_one_line_naming_file_and_line_for_a_config_error() throws Exception {
        // given
        Path file = config("""
                models:
                  - id: a
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                  - id: b
                    backend: openai
                    max_concurrency: 0
                    base_url: http://127.0.0.1:9/v1
                """);
        // when
        int code = Main.run("models", "ls", "--config", file.toString());
        // then
        assertThat(code).isEqualTo(2);
        assertThat(oneErrorLine()).isEqualTo("pixelsense: " + file
                + ":7: models[1].max_concurrency: must be between 1 and 1024, got 0");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void should_exit_2_with_one_line_for_a_yaml_syntax_error() throws Exception {
        Path file = config("server:\n  port: 80\n host: x\n");
        int code = Main.run("models", "ls", "--config", file.toString());
        assertThat(code).isEqualTo(2);
        assertThat(oneErrorLine()).startsWith("pixelsense: " + file + ":3: not valid YAML: ");
    }

    @Test
    void should_exit_2_with_one_line_for_a_missing_config_file() {
        Path missing = dir.resolve("missing.yaml");
        int code = Main.run("models", "ls", "--config", missing.toString());
        assertThat(code).isEqualTo(2);
        assertThat(oneErrorLine()).isEqualTo("pixelsense: " + missing + ": config file not found");
    }

    // --- usage errors ------------------------------------------------------------------------------

    @Test
    void should_exit_2_with_one_line_for_an_unknown_option() {
        int code = Main.run("models", "ls", "--bogus");
        assertThat(code).isEqualTo(2);
        assertThat(oneErrorLine()).isEqualTo("pixelsense: Unknown option: '--bogus' (see 'pixelsense models ls --help')");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void should_exit_2_with_one_line_for_an_unknown_command_or_missing_arguments() {
        assertThat(Main.run("frobnicate")).isEqualTo(2);
        assertThat(oneErrorLine()).contains("'frobnicate'").endsWith("(see 'pixelsense --help')");
        err.reset();
        assertThat(Main.run("chat")).isEqualTo(2);
        assertThat(oneErrorLine()).contains("MODEL", "PROMPT").endsWith("(see 'pixelsense chat --help')");
        err.reset();
        assertThat(Main.run("serve", "--port", "eighty")).isEqualTo(2);
        assertThat(oneErrorLine()).contains("eighty");
    }

    // --- chat ------------------------------------------------------------------------------------

    @Test
    void should_stream_the_answer_of_a_chat_to_stdout() throws Exception {
        // given
        Path file = fakeModelConfig();
        upstream.always((r, reply) -> reply.stream(List.of("Hel", "lo, ", "wörld"), 0));
        // when
        int code = Main.run("chat", "--config", file.toString(), "v", "Say hello", "--system", "Be brief.",
                "--max-tokens", "12", "--temperature", "0.5");
        // then
        assertThat(code).isZero();
        assertThat(stdout()).isEqualTo("Hello, wörld" + System.lineSeparator());
        FakeUpstream.Received request = upstream.last();
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.header("Authorization")).isEqualTo("Bearer upstream-secret");
        JsonNode body = request.body();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(12);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("Be brief.");
        assertThat(body.path("messages").get(1).path("role").asText()).isEqualTo("user");
        assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("Say hello");
    }

    @Test
    void should_send_attached_images_as_data_urls() throws Exception {
        // given
        Path file = fakeModelConfig();
        upstream.always((r, reply) -> reply.stream(List.of("a blue square"), 0));
        byte[] png = Images.encoded("png", 40, 30);
        byte[] jpeg = Images.encoded("jpg", 20, 10);
        Path pngFile = dir.resolve("shot.png");
        Path jpegFile = dir.resolve("photo.jpg");
        Files.write(pngFile, png);
        Files.write(jpegFile, jpeg);
        // when
        int code = Main.run("chat", "-c", file.toString(), "--image", pngFile.toString(), "-i", jpegFile.toString(),
                "vision-1", "What is this?");
        // then
        assertThat(code).isZero();
        assertThat(stdout()).isEqualTo("a blue square" + System.lineSeparator());
        JsonNode content = upstream.last().body().path("messages").get(0).path("content");
        assertThat(content).hasSize(3);
        assertThat(content.get(0).path("type").asText()).isEqualTo("text");
        assertThat(content.get(0).path("text").asText()).isEqualTo("What is this?");
        assertThat(content.get(1).path("type").asText()).isEqualTo("image_url");
        assertThat(content.get(1).path("image_url").path("url").asText())
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        assertThat(content.get(2).path("image_url").path("url").asText())
                .isEqualTo("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg));
    }

    @Test
    void should_fall_back_to_a_model_named_by_its_alias() throws Exception {
        // given a primary whose upstream is unavailable and a fallback named by alias
        upstream = new FakeUpstream();
        upstream.always((r, reply) -> {
            if (r.body().path("model").asText().equals("primary-up")) {
                reply.error(503, "overloaded");
            } else {
                reply.stream(List.of("from the fallback"), 0);
            }
        });
        Path file = config("""
                models:
                  - id: primary
                    backend: openai
                    base_url: %1$s
                    upstream_model: primary-up
                    fallbacks: [backup-alias]
                  - id: backup
                    backend: openai
                    base_url: %1$s
                    upstream_model: backup-up
                    aliases: [backup-alias]
                """.formatted(upstream.baseUrl()));
        // when
        int code = Main.run("chat", "-c", file.toString(), "primary", "hi");
        // then
        assertThat(code).isZero();
        assertThat(stdout()).isEqualTo("from the fallback" + System.lineSeparator());
        assertThat(upstream.received()).extracting(r -> r.body().path("model").asText())
                .containsExactly("primary-up", "backup-up");
    }

    @Test
    void should_exit_2_with_one_line_for_a_missing_image_file() throws Exception {
        Path file = fakeModelConfig();
        Path missing = dir.resolve("nope.png");
        int code = Main.run("chat", "-c", file.toString(), "-i", missing.toString(), "v", "What is this?");
        assertThat(code).isEqualTo(2);
        assertThat(oneErrorLine()).isEqualTo("pixelsense: image file not found: " + missing);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void should_exit_2_with_one_line_for_a_file_that_is_not_an_image() throws Exception {
        Path file = fakeModelConfig();
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "just some text, not a picture");
        int code = Main.run("chat", "-c", file.toString(), "-i", text.toString(), "v", "What is this?");
        assertThat(code).isEqualTo(2);
        assertThat(oneErrorLine()).isEqualTo("pixelsense: " + text + " is not a PNG, JPEG, WebP, GIF or BMP image");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void should_exit_1_with_one_line_for_an_unknown_model() throws Exception {
        Path file = fakeModelConfig();
        int code = Main.run("chat", "-c", file.toString(), "gpt-99", "hi");
        assertThat(code).isEqualTo(1);
        assertThat(oneErrorLine()).startsWith("pixelsense: The model 'gpt-99' does not exist; available: ")
                .contains("vision-1", "v");
        assertThat(stdout()).isEmpty();
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void should_exit_1_with_a_readable_line_when_the_upstream_refuses() throws Exception {
        Path file = fakeModelConfig();
        upstream.always((r, reply) -> reply.error(401, "Incorrect API key provided"));
        int code = Main.run("chat", "-c", file.toString(), "v", "hi");
        assertThat(code).isEqualTo(1);
        // (the model manager also logs the failure as a WARN line before it)
        assertThat(stderrLines()).noneMatch(l -> l.startsWith("\tat "));
        assertThat(stderrLines()).last().asString().startsWith("pixelsense: ").contains("Incorrect API key provided");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void should_chat_through_a_running_server_at_the_configs_address() throws Exception {
        upstream = new FakeUpstream();
        upstream.always((r, reply) -> reply.stream(List.of("through ", "the server"), 0));
        try (TestServer server = TestServer.start("""
                models:
                  - id: served-only
                    backend: openai
                    base_url: %s
                """.formatted(upstream.baseUrl()))) {
            err.reset(); // the server's own log
            // the command's config names no model: only the server can answer
            Path file = config("server:\n  port: " + server.port() + "\n");
            assertThat(Main.run("chat", "-c", file.toString(), "served-only", "hi", "--max-tokens", "5")).isZero();
            assertThat(stdout()).isEqualTo("through the server" + System.lineSeparator());
            assertThat(upstream.last().body().path("max_tokens").asInt()).isEqualTo(5);
            assertThat(dev.pixelsense.testing.RawHttp.get(server.port(), "/metrics", java.util.Map.of()).body())
                    .contains("route=\"/v1/chat/completions\",method=\"POST\",status=\"200\"");

            out.reset();
            assertThat(Main.run("chat", "--url", server.baseUrl(), "served-only", "again")).isZero();
            assertThat(stdout()).isEqualTo("through the server" + System.lineSeparator());

            out.reset();
            assertThat(Main.run("chat", "--url", server.baseUrl(), "nope", "hi")).isEqualTo(1);
            assertThat(lastErrorLine()).startsWith("pixelsense: The model 'nope' does not exist").contains("served-only");

            upstream.always((r, reply) -> reply.streamThenDrop(List.of("half ")));
            assertThat(Main.run("chat", "--url", server.baseUrl(), "served-only", "hi")).isEqualTo(1);
            assertThat(stdout()).startsWith("half ");
            assertThat(lastErrorLine()).startsWith("pixelsense: ").contains("closed the stream before the answer was complete");

            assertThat(Main.run("chat", "-c", file.toString(), "--local", "served-only", "hi")).isEqualTo(1);
            assertThat(lastErrorLine()).startsWith("pixelsense: The model 'served-only' does not exist");
        }
        // something else listens at the config's address
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] page = "<html>Not Found</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        other.start();
        try {
            err.reset();
            Path elsewhere = config("server:\n  port: " + other.getAddress().getPort() + "\n");
            assertThat(Main.run("chat", "-c", elsewhere.toString(), "served-only", "hi")).isEqualTo(1);
            assertThat(oneErrorLine()).isEqualTo("pixelsense: HTTP 404 from http://127.0.0.1:"
                    + other.getAddress().getPort() + ": not a pixelsense server? (give --url, or --local to run the "
                    + "model in this process)");
        } finally {
            other.stop(0);
        }

        err.reset();
        assertThat(Main.run("chat", "--url", "http://127.0.0.1:9", "served-only", "hi")).isEqualTo(1);
        assertThat(oneErrorLine()).isEqualTo("pixelsense: no pixelsense server at http://127.0.0.1:9 (start one with "
                + "'pixelsense serve', or give --url)");
    }

    // --- serve -----------------------------------------------------------------------------------

    @Test
    void should_refuse_to_serve_on_all_interfaces_without_api_keys() throws Exception {
        // given no key anywhere: none in the config, none on the command line, none in the environment
        assertThat(System.getenv("PIXELSENSE_API_KEY")).as("surefire must not pass PIXELSENSE_API_KEY").isNull();
        Path file = config("server:\n  port: 8080\n");
        // when (a started server would block until shutdown: the timeout turns that into a failure)
        int code = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> Main.run("serve", "--config", file.toString(), "--host", "0.0.0.0", "--port", "0"));
        // then
        assertThat(code).isEqualTo(2);
        assertThat(oneErrorLine()).startsWith("pixelsense: refusing to listen on 0.0.0.0 without API keys")
                .contains("server.api_keys", "PIXELSENSE_API_KEY");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void should_refuse_to_serve_with_a_short_api_key_on_the_command_line() throws Exception {
        Path file = config("server:\n  port: 8080\n");
        int code = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> Main.run("serve", "--config", file.toString(), "--host", "0.0.0.0", "--port", "0",
                        "--api-key", "short"));
        assertThat(code).isEqualTo(2);
        assertThat(oneErrorLine()).isEqualTo("pixelsense: API keys must be at least 16 characters long (--api-key)");
        assertThat(stdout()).isEmpty();
    }
}
