package dev.pixelsense.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.pixelsense.testing.FakeUpstream;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Secure defaults: API keys, Host (DNS rebinding), Origin (cross-site pages), and the bind rule. */
class SecurityTest {
    private static final String KEY = "test-key-0123456789abcdef";
    private FakeUpstream upstream;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUpstream();
    }

    @AfterEach
    void stop() throws Exception {
        upstream.close();
    }

    private String models() {
        return """
                models:
                  - id: m
                    backend: openai
                    base_url: %s
                """.formatted(upstream.baseUrl());
    }

    @Test
    void should_require_a_bearer_key_when_keys_are_configured() throws Exception {
        try (TestServer server = TestServer.start("server:\n  port: 0\n  api_keys: [" + KEY + "]\n" + models())) {
            String body = ErrorsAndLimitsTest.textRequest("m");
            RawHttp.Response none = RawHttp.post(server.port(), "/v1/chat/completions", body, Map.of());
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.error().path("type").asText()).isEqualTo("authentication_error");
            assertThat(RawHttp.post(server.port(), "/v1/chat/completions", body,
                    Map.of("Authorization", "Bearer wrong-key-0123456789")).status()).isEqualTo(401);
            assertThat(RawHttp.get(server.port(), "/v1/models", Map.of()).status()).isEqualTo(401);
            String large = ErrorsAndLimitsTest.textRequest("m").replace("\"hi\"", "\"" + "x".repeat(2 << 20) + "\"");
            for (int i = 0; i < 4; i++) {   // the client sees the 401, not a broken pipe, while still sending
                assertThat(RawHttp.post(server.port(), "/v1/chat/completions", large, Map.of()).status()).isEqualTo(401);
            }
            assertThat(RawHttp.get(server.port(), "/metrics", Map.of()).status()).isEqualTo(401);
            assertThat(RawHttp.get(server.port(), "/health", Map.of()).status()).isEqualTo(200);
            assertThat(RawHttp.get(server.port(), "/ready", Map.of()).status()).isEqualTo(200);
            assertThat(RawHttp.post(server.port(), "/v1/chat/completions", body,
                    Map.of("Authorization", "Bearer " + KEY)).status()).isEqualTo(200);

            var sdk = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("nope-nope-nope-nope")
                    .maxRetries(0).build();
            try {
                assertThatThrownBy(() -> sdk.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("m").addUserMessage("hi").build())).isInstanceOf(UnauthorizedException.class);
            } finally {
                sdk.close();
            }
        }
        assertThat(upstream.received()).hasSize(1);
    }

    @Test
    void should_refuse_a_host_header_that_is_not_ours() throws Exception {
        try (TestServer server = TestServer.start(models())) {
            RawHttp.Response rebound = RawHttp.get(server.port(), "/v1/models", Map.of("Host", "evil.example:" + server.port()));
            assertThat(rebound.status()).isEqualTo(403);
            assertThat(rebound.error().path("code").asText()).isEqualTo("host_not_allowed");
            assertThat(RawHttp.get(server.port(), "/v1/models", Map.of("Host", "localhost:" + server.port())).status())
                    .isEqualTo(200);
            assertThat(RawHttp.get(server.port(), "/v1/models", Map.of("Host", "[::1]:" + server.port())).status())
                    .isEqualTo(200);
            assertThat(RawHttp.get(server.port(), "/v1/models", Map.of("Host", "127.0.0.2")).status()).isEqualTo(200);
            assertThat(RawHttp.get(server.port(), "/v1/models", Map.of("Host", "127.evil.example")).status())
                    .isEqualTo(403);
        }
    }

    @Test
    void should_accept_configured_host_names() throws Exception {
        try (TestServer server = TestServer.start("server:\n  port: 0\n  allowed_hosts: [pixel.lan]\n" + models())) {
            assertThat(RawHttp.get(server.port(), "/v1/models", Map.of("Host", "pixel.lan:8080")).status()).isEqualTo(200);
            assertThat(RawHttp.get(server.port(), "/v1/models", Map.of("Host", "other.lan")).status()).isEqualTo(403);
        }
    }

    @Test
    void should_refuse_browser_requests_from_a_foreign_origin() throws Exception {
        try (TestServer server = TestServer.start(models())) {
            String body = ErrorsAndLimitsTest.textRequest("m");
            RawHttp.Response foreign = RawHttp.post(server.port(), "/v1/chat/completions", body,
                    Map.of("Origin", "https://evil.example"));
            assertThat(foreign.status()).isEqualTo(403);
            assertThat(foreign.error().path("code").asText()).isEqualTo("origin_not_allowed");
            assertThat(foreign.header("access-control-allow-origin")).isNull();
            RawHttp.Response noCors = RawHttp.get(server.port(), "/v1/models", Map.of("Sec-Fetch-Site", "cross-site"));
            assertThat(noCors.status()).isEqualTo(403);
            RawHttp.Response same = RawHttp.post(server.port(), "/v1/chat/completions", body,
                    Map.of("Origin", "http://127.0.0.1:" + server.port()));
            assertThat(same.status()).isEqualTo(200);
        }
        assertThat(upstream.received()).hasSize(1);
    }

    @Test
    void should_answer_cors_for_allowed_origins_only() throws Exception {
        try (TestServer server = TestServer.start("server:\n  port: 0\n  cors_origins: [\"http://app.local:3000\"]\n"
                + models())) {
            RawHttp.Response preflight = RawHttp.send(server.port(), "OPTIONS", "/v1/chat/completions",
                    Map.of("Origin", "http://app.local:3000", "Access-Control-Request-Method", "POST",
                            "Access-Control-Request-Headers", "authorization, content-type"), null);
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("access-control-allow-origin")).isEqualTo("http://app.local:3000");
            assertThat(preflight.header("access-control-allow-headers")).containsIgnoringCase("authorization");
            RawHttp.Response allowed = RawHttp.post(server.port(), "/v1/chat/completions",
                    ErrorsAndLimitsTest.textRequest("m"), Map.of("Origin", "http://app.local:3000"));
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.header("access-control-allow-origin")).isEqualTo("http://app.local:3000");
            RawHttp.Response other = RawHttp.send(server.port(), "OPTIONS", "/v1/chat/completions",
                    Map.of("Origin", "http://evil.local", "Access-Control-Request-Method", "POST"), null);
            assertThat(other.status()).isEqualTo(403);
        }
    }

    @Test
    void should_refuse_to_bind_beyond_loopback_without_api_keys() {
        assertThatThrownBy(() -> TestServer.start("server:\n  host: 0.0.0.0\n  port: 0\n" + models()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without API keys")
                .hasMessageContaining("server.api_keys");
    }

    @Test
    void should_bind_beyond_loopback_with_api_keys() throws Exception {
        try (TestServer server = TestServer.start("server:\n  host: 0.0.0.0\n  port: 0\n  api_keys: [" + KEY + "]\n"
                + models())) {
            assertThat(RawHttp.get(server.port(), "/v1/models", Map.of("Authorization", "Bearer " + KEY,
                    "Host", "my-machine:" + server.port())).status()).isEqualTo(200);
        }
    }
}
