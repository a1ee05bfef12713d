package dev.pixelsense.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.pixelsense.testing.FakeUpstream;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fallback along the chain before the first token, never after; gateway statuses when all fail. */
class FallbackTest {
    private FakeUpstream primary;
    private FakeUpstream backup;
    private TestServer server;
    private OpenAIClient client;

    @BeforeEach
    void start() throws Exception {
        primary = new FakeUpstream();
        backup = new FakeUpstream().always((r, reply) -> {
            if (r.body().path("stream").asBoolean()) {
                reply.stream(List.of("from ", "backup"), 0);
            } else {
                reply.text("from backup", 3, 2);
            }
        });
        server = TestServer.start("""
                models:
                  - id: primary
                    backend: openai
                    base_url: %s
                    fallbacks: [backup]
                    timeouts: {first_token: 1s, idle: 1s}
                  - id: backup
                    backend: openai
                    base_url: %s
                """.formatted(primary.baseUrl(), backup.baseUrl()));
        client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("x").maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        primary.close();
        backup.close();
    }

    private ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model("primary").addUserMessage("hi").build();
    }

    @Test
    void should_fall_back_on_a_5xx_and_say_who_answered() {
        primary.next((r, reply) -> reply.error(503, "overloaded"));
        try (HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params())) {
            assertThat(raw.headers().values("x-pixelsense-model")).containsExactly("backup");
            assertThat(raw.parse().model()).isEqualTo("backup");
            assertThat(raw.parse().choices().getFirst().message().content()).hasValue("from backup");
        }
        assertThat(backup.last().body().path("model").asText()).isEqualTo("backup");
    }

    @Test
    void should_fall_back_on_429_and_on_a_refused_connection() throws Exception {
        primary.next((r, reply) -> reply.error(429, "quota", "Retry-After", "30"));
        assertThat(client.chat().completions().create(params()).model()).isEqualTo("backup");

        primary.close();
        assertThat(client.chat().completions().create(params()).model()).isEqualTo("backup");
    }

    @Test
    void should_fall_back_when_the_first_token_does_not_come_in_time() {
        primary.next((r, reply) -> reply.holdUntilClientGone(true));
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params())) {
            s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        assertThat(text.toString()).isEqualTo("from backup");
    }

    @Test
    void should_fall_back_in_a_stream_that_fails_before_its_first_token() {
        primary.next((r, reply) -> reply.streamThenDrop(List.of()));
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params())) {
            s.stream().forEach(c -> {
                assertThat(c.model()).isEqualTo("backup");
                c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
            });
        }
        assertThat(text.toString()).isEqualTo("from backup");
    }

    @Test
    void should_never_splice_answers_after_the_first_token() {
        primary.next((r, reply) -> reply.streamThenDrop(List.of("half an ", "answer")));
        StringBuilder text = new StringBuilder();

        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params())) {
                s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
            }
        }).isInstanceOf(SseException.class).hasMessageContaining("before the answer was complete");

        assertThat(text.toString()).isEqualTo("half an answer");
        assertThat(backup.received()).isEmpty();
    }

    @Test
    void should_end_a_broken_stream_with_an_error_event_and_no_done() throws Exception {
        primary.next((r, reply) -> reply.streamThenDrop(List.of("partial")));
        RawHttp.Response r = RawHttp.post(server.port(), "/v1/chat/completions",
                "{\"model\":\"primary\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("text/event-stream");
        assertThat(r.body()).contains("\"content\":\"partial\"").contains("data: {\"error\":")
                .doesNotContain("[DONE]");
    }

    @Test
    void should_report_every_failure_when_the_whole_chain_fails() {
        primary.next((r, reply) -> reply.error(500, "primary down"));
        backup.next((r, reply) -> reply.error(502, "backup down"));
        assertThatThrownBy(() -> client.chat().completions().create(params()))
                .isInstanceOfSatisfying(com.openai.errors.InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("primary down").contains("backup down");
                });
    }

    @Test
    void should_answer_504_when_the_upstream_times_out_without_fallback() throws Exception {
        try (FakeUpstream slow = new FakeUpstream().always((r, reply) -> reply.holdUntilClientGone(false));
             TestServer alone = TestServer.start("""
                     models:
                       - id: slow
                         backend: openai
                         base_url: %s
                         timeouts: {first_token: 300ms, request: 300ms}
                     """.formatted(slow.baseUrl()))) {
            RawHttp.Response r = RawHttp.post(alone.port(), "/v1/chat/completions",
                    ErrorsAndLimitsTest.textRequest("slow"), Map.of());
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.error().path("message").asText()).contains("timed out");
            RawHttp.Response s = RawHttp.post(alone.port(), "/v1/chat/completions",
                    "{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
            assertThat(s.status()).isEqualTo(504);
            assertThat(s.error().path("message").asText()).contains("first token");
        }
    }

    @Test
    void should_time_out_a_stream_that_goes_idle() throws Exception {
        primary.next((r, reply) -> {
            reply.sseHeaders();
            reply.event(FakeUpstream.chunk("{\"content\":\"one\"}", null));
            reply.holdUntilClientGone(false);
        });
        RawHttp.Response r = RawHttp.post(server.port(), "/v1/chat/completions",
                "{\"model\":\"primary\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
        assertThat(r.body()).contains("\"content\":\"one\"").contains("timed out waiting for the next chunk")
                .doesNotContain("[DONE]");
        assertThat(backup.received()).isEmpty();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
