package dev.pixelsense.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import dev.pixelsense.testing.TinyGguf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory budget decides what may be co-resident, with real built-in runners on two tiny
 * models (each estimated at its GGUF weights + KV cache + 384 MB of runner overhead).
 */
class MemoryBudgetTest {
    @TempDir
    Path dir;

    private TestServer server(String budget) throws Exception {
        Path a = TinyGguf.write(dir.resolve("a.gguf"), 1);
        Path b = TinyGguf.write(dir.resolve("b.gguf"), 2);
        return TestServer.start("""
                server:
                  port: 0
                  memory_budget: %s
                models:
                  - id: model-a
                    backend: llamacpp
                    model: %s
                    max_concurrency: 1
                    defaults: {context_size: 256}
                  - id: model-b
                    backend: llamacpp
                    model: %s
                    max_concurrency: 1
                    defaults: {context_size: 256}
                """.formatted(budget, a, b));
    }

    private static RawHttp.Response chat(TestServer s, String model) throws Exception {
        return RawHttp.post(s.port(), "/v1/chat/completions", "{\"model\":\"" + model + "\",\"max_tokens\":2,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
    }

    private static List<String> loaded(TestServer s) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode m : RawHttp.get(s.port(), "/api/ps", Map.of()).json().path("models")) {
            ids.add(m.path("id").asText());
        }
        return ids;
    }

    @Test
    void should_keep_two_models_loaded_when_both_fit() throws Exception {
        try (TestServer s = server("2GB")) {
            assertThat(chat(s, "model-a").status()).isEqualTo(200);
            assertThat(chat(s, "model-b").status()).isEqualTo(200);
            assertThat(loaded(s)).containsExactlyInAnyOrder("model-a", "model-b");
        }
    }

    @Test
    void should_unload_the_least_recently_used_idle_model_to_fit_another() throws Exception {
        try (TestServer s = server("600MB")) {
            assertThat(chat(s, "model-a").status()).isEqualTo(200);
            assertThat(loaded(s)).containsExactly("model-a");

            assertThat(chat(s, "model-b").status()).isEqualTo(200);

            assertThat(loaded(s)).containsExactly("model-b");
        }
    }

    @Test
    void should_say_with_numbers_when_a_model_can_never_fit() throws Exception {
        try (TestServer s = server("300MB")) {
            RawHttp.Response r = chat(s, "model-a");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.error().path("message").asText()).contains("model-a").contains("needs about")
                    .contains("weights").contains("KV cache").contains("runner").contains("300.0 MB")
                    .contains("server.memory_budget");
            assertThat(loaded(s)).isEmpty();
        }
    }
}
