package dev.pixelsense.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.testing.FakeUpstream;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /health, /ready and /metrics tell the truth about what happened. */
class ObservabilityTest {

    @Test
    void should_count_requests_tokens_first_tokens_and_fallbacks() throws Exception {
        try (FakeUpstream down = new FakeUpstream().always((r, reply) -> reply.error(500, "down"));
             FakeUpstream up = new FakeUpstream().always((r, reply) -> {
                 if (r.body().path("stream").asBoolean()) {
                     reply.stream(List.of("a", "b", "c"), 0);
                 } else {
                     reply.text("ok", 12, 4);
                 }
             });
             TestServer server = TestServer.start("""
                     models:
                       - id: main
                         backend: openai
                         base_url: %s
                         fallbacks: [spare]
                       - id: spare
                         backend: openai
                         base_url: %s
                     """.formatted(down.baseUrl(), up.baseUrl()))) {
            RawHttp.post(server.port(), "/v1/chat/completions", ErrorsAndLimitsTest.textRequest("spare"), Map.of());
            RawHttp.post(server.port(), "/v1/chat/completions", ErrorsAndLimitsTest.textRequest("main"), Map.of());
            RawHttp.post(server.port(), "/v1/chat/completions",
                    "{\"model\":\"spare\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", Map.of());
            RawHttp.post(server.port(), "/v1/chat/completions", ErrorsAndLimitsTest.textRequest("nope"), Map.of());

            String metrics = RawHttp.get(server.port(), "/metrics", Map.of()).body();

            assertThat(metrics)
                    .contains("pixelsense_http_requests_total{route=\"/v1/chat/completions\",method=\"POST\",status=\"200\",model=\"spare\"} 3")
                    .contains("pixelsense_http_requests_total{route=\"/v1/chat/completions\",method=\"POST\",status=\"404\",model=\"\"} 1")
                    .contains("pixelsense_fallbacks_total{from=\"main\",to=\"spare\"} 1")
                    .contains("pixelsense_model_requests_total{model=\"main\",outcome=\"error\"} 1")
                    .contains("pixelsense_tokens_total{model=\"spare\",direction=\"in\"} 31")
                    .contains("pixelsense_tokens_total{model=\"spare\",direction=\"out\"} 11")
                    .contains("pixelsense_time_to_first_token_seconds_count{model=\"spare\"} 3")
                    .contains("# TYPE pixelsense_http_request_duration_seconds histogram")
                    .contains("pixelsense_model_in_flight{model=\"main\"} 0.0")
                    .contains("pixelsense_model_queue_depth{model=\"spare\"} 0.0");
        }
    }

    @Test
    void should_report_health_and_readiness() throws Exception {
        try (TestServer server = TestServer.start("models: []\n")) {
            RawHttp.Response health = RawHttp.get(server.port(), "/health", Map.of());
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().path("status").asText()).isEqualTo("ok");
            RawHttp.Response ready = RawHttp.get(server.port(), "/ready", Map.of());
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().path("status").asText()).isEqualTo("ready");
        }
    }
}
