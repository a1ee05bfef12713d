package dev.pixelsense.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import dev.pixelsense.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The llama-server runner with the real binary, when one is on PATH. This machine kind has none
 * (it is not in Debian's packages here and nothing may be downloaded at run time), so the test says
 * so and is skipped; the same code path runs against a stand-in in LocalModelLifecycleTest.
 */
class RealLlamaServerTest {

    @Test
    void should_serve_a_tiny_model_through_the_real_llama_server(@TempDir Path dir) throws Exception {
        String path = System.getenv("PATH") == null ? "" : System.getenv("PATH");
        Path binary = Arrays.stream(path.split(":")).map(d -> Path.of(d, "llama-server")).filter(Files::isExecutable)
                .findFirst().orElse(null);
        assumeTrue(binary != null, "llama-server is not on PATH: the real-binary test cannot run here "
                + "(the stand-in in LocalModelLifecycleTest covers the same path)");
        Path tiny = TinyGguf.write(dir.resolve("tiny.gguf"), 5);
        try (TestServer server = TestServer.start("""
                models:
                  - id: real
                    backend: llamacpp
                    model: %s
                    runner: llama-server
                    llama_server: %s
                    defaults: {context_size: 256}
                """.formatted(tiny, binary))) {
            RawHttp.Response r = RawHttp.post(server.port(), "/v1/chat/completions",
                    "{\"model\":\"real\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().path("usage").path("completion_tokens").asInt()).isPositive();
        }
    }
}
