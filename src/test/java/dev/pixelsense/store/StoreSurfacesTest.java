package dev.pixelsense.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelsense.testing.Cli;
import dev.pixelsense.testing.FakeFileServer;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `pixelsense pull`, `models ls|rm`, and POST /api/pull, end to end. */
class StoreSurfacesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CONTENT = ModelStoreTest.random(2 * 1024 * 1024);
    private static final String SHA = ModelStoreTest.sha256(CONTENT);

    @TempDir
    Path dir;
    private FakeFileServer files;

    @BeforeEach
    void start() throws Exception {
        files = new FakeFileServer();
        files.on("/m.gguf", FakeFileServer.file(CONTENT, "\"v1\""));
    }

    @AfterEach
    void stop() throws Exception {
        files.close();
    }

    private String config() throws Exception {
        Path cfg = dir.resolve("config.yaml");
        Files.writeString(cfg, "store:\n  dir: " + dir.resolve("cache") + "\n");
        return cfg.toString();
    }

    @Test
    void should_pull_from_the_command_line_with_plain_progress_lines() throws Exception {
        Cli.Captured c = run("pull", "--config", config(), files.url() + "/m.gguf#sha256=" + SHA);

        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("sha256:" + SHA).contains(dir.resolve("cache/blobs/sha256-" + SHA).toString());
        assertThat(c.err()).contains("resolving").contains("100% [####################]").contains("(verified)")
                .doesNotContain("\r");

        Cli.Captured ls = run("models", "ls", "--config", config());
        assertThat(ls.out()).contains("PULLED").contains("m.gguf").contains(SHA.substring(0, 12));

        Cli.Captured rm = run("models", "rm", "--config", config(), files.url() + "/m.gguf#sha256=" + SHA);
        assertThat(rm.code()).isZero();
        assertThat(Files.exists(dir.resolve("cache/blobs/sha256-" + SHA))).isFalse();
    }

    @Test
    void should_fail_a_pull_in_one_line() throws Exception {
        Cli.Captured c = run("pull", "--config", config(), files.url() + "/missing.gguf");
        assertThat(c.code()).isEqualTo(1);
        assertThat(c.err().lines().filter(l -> l.startsWith("pixelsense: "))).singleElement()
                .satisfies(l -> assertThat(l).contains("404"));
        assertThat(c.err()).doesNotContain("\tat ");

        Cli.Captured bad = run("pull", "--config", config(), "Not A Ref!");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("is not a model reference");
    }

    @Test
    void should_stream_pull_progress_as_ndjson_and_sse() throws Exception {
        try (TestServer server = TestServer.start("server:\n  port: 0\nstore:\n  dir: " + dir.resolve("api") + "\n")) {
            RawHttp.Response ndjson = RawHttp.post(server.port(), "/api/pull",
                    "{\"ref\":\"" + files.url() + "/m.gguf#sha256=" + SHA + "\"}", Map.of());
            assertThat(ndjson.status()).isEqualTo(200);
            assertThat(ndjson.header("content-type")).startsWith("application/x-ndjson");
            List<JsonNode> events = ndjson.body().lines().map(StoreSurfacesTest::json).toList();
            assertThat(events.getFirst().path("status").asText()).isEqualTo("resolving");
            assertThat(events).anySatisfy(e -> assertThat(e.path("status").asText()).isEqualTo("downloading"));
            assertThat(events.getLast().path("status").asText()).isEqualTo("success");
            assertThat(events.getLast().path("files").get(0).path("sha256").asText()).isEqualTo(SHA);

            RawHttp.Response sse = RawHttp.post(server.port(), "/api/pull",
                    "{\"ref\":\"" + files.url() + "/m.gguf#sha256=" + SHA + "\"}", Map.of("Accept", "text/event-stream"));
            assertThat(sse.header("content-type")).startsWith("text/event-stream");
            assertThat(sse.body()).contains("data: {\"status\":\"exists\"").contains("data: {\"status\":\"success\"");

            RawHttp.Response failed = RawHttp.post(server.port(), "/api/pull",
                    "{\"ref\":\"" + files.url() + "/gone.gguf\",\"stream\":false}", Map.of());
            assertThat(failed.status()).isEqualTo(404);
            assertThat(failed.error().path("message").asText()).contains("404");

            RawHttp.Response missing = RawHttp.post(server.port(), "/api/pull", "{}", Map.of());
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.error().path("param").asText()).isEqualTo("ref");
        }
    }

    @Test
    void should_report_preparing_the_ocr_models_after_pulling_them() throws Exception {
        // a copy of a store with ppocr-v4 and its int8 recognizer: the pull downloads nothing and the
        // preparation finds the int8 file made (OcrCommandTest covers making it)
        Path store = dev.pixelsense.testing.OcrModelFiles.copyOfPulledStore(dir.resolve("ocr-store"), true);
        try (TestServer server = TestServer.start("server:\n  port: 0\nstore:\n  dir: " + store + "\n")) {
            RawHttp.Response r = RawHttp.post(server.port(), "/api/pull", "{\"ref\":\"ppocr-v4\"}", Map.of());
            List<JsonNode> events = r.body().lines().map(StoreSurfacesTest::json).toList();
            assertThat(events).extracting(e -> e.path("status").asText()).containsSubsequence("preparing", "prepared",
                    "success");
            assertThat(events).filteredOn(e -> e.path("status").asText().equals("prepared")).singleElement()
                    .satisfies(e -> assertThat(e.path("message").asText()).startsWith("OCR ready"));
        }
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    private static Cli.Captured run(String... args) {
        return Cli.run(args);
    }
}
