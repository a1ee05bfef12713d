package dev.pixelsense.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.testing.FakeUpstream;
import dev.pixelsense.testing.Images;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every bad input gets OpenAI's error shape with the right status, and nothing reaches the model. */
class ErrorsAndLimitsTest {
    private FakeUpstream upstream;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUpstream();
        server = TestServer.start("""
                server:
                  port: 0
                  max_body_size: 256KB
                  max_image_pixels: 1000000
                models:
                  - id: m
                    backend: openai
                    base_url: %s
                  - id: text-only
                    backend: openai
                    base_url: %s
                    capabilities: {vision: false, tools: false}
                """.formatted(upstream.baseUrl(), upstream.baseUrl()));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        upstream.close();
    }

    private RawHttp.Response chat(String json) throws Exception {
        return RawHttp.post(server.port(), "/v1/chat/completions", json, Map.of());
    }

    private static void assertError(RawHttp.Response r, int status, String param, String messagePart) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThat(r.error().path("message").asText()).contains(messagePart);
        assertThat(r.error().has("type")).isTrue();
        assertThat(r.error().has("code")).isTrue();
        if (param != null) {
            assertThat(r.error().path("param").asText()).isEqualTo(param);
        } else {
            assertThat(r.error().has("param")).isTrue();
        }
    }

    @Test
    void should_refuse_malformed_json_with_400() throws Exception {
        assertError(chat("{\"model\": \"m\", \"messages\": ["), 400, null, "not valid JSON");
    }

    @Test
    void should_name_the_field_of_a_wrong_type() throws Exception {
        assertError(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}"),
                400, "temperature", "temperature");
        assertError(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":42}]}"),
                400, "messages[0].content", "messages[0].content");
        assertError(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"audio\"}]}]}"),
                400, "messages[0].content[0].type", "audio");
        assertError(chat("{\"model\":\"m\",\"messages\":\"hi\"}"), 400, "messages", "messages");
    }

    @Test
    void should_validate_values_and_name_the_field() throws Exception {
        assertError(chat("{\"model\":\"m\",\"messages\":[]}"), 400, "messages", "non-empty");
        assertError(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "model", "model");
        assertError(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}"),
                400, "messages[0].role", "robot");
        assertError(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":3}"),
                400, "temperature", "between 0 and 2");
        assertError(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"response_format\":{\"type\":\"yaml\"}}"), 400, "response_format.type", "yaml");
        assertError(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}"),
                400, "messages[0].tool_call_id", "tool_call_id");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void should_ignore_unknown_fields() throws Exception {
        RawHttp.Response r = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\","
                + "\"mood\":\"happy\"}],\"logit_bias\":{},\"metadata\":{\"a\":1},\"brand_new_field\":[1,2]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("choices").get(0).path("message").path("content").asText()).isEqualTo("hello from fake");
    }

    @Test
    void should_refuse_a_body_over_the_limit_with_413() throws Exception {
        // Sent whole before the answer is read, as curl does: the server must read the rest of the
        // body before it answers and closes, or the client gets a broken pipe instead of the 413.
        for (int kb : new int[] {300, 500, 300, 500, 300, 500, 300, 500}) {
            String big = "x".repeat(kb * 1024);
            assertError(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}"),
                    413, null, "max_body_size");
        }
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void should_refuse_a_decompression_bomb_from_its_header() throws Exception {
        String bomb = Images.dataUrl("image/png", Images.pngBombHeader(30_000, 30_000));
        RawHttp.Response r = chat(imageRequest("m", bomb));
        assertError(r, 413, "messages[0].content[1].image_url.url", "30000x30000");
        assertThat(r.error().path("message").asText()).contains("max_image_pixels");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void should_refuse_images_that_are_not_images() throws Exception {
        assertError(chat(imageRequest("m", "data:image/png;base64,aGVsbG8gd29ybGQgdGhpcyBpcyBub3QgYSBwbmc=")),
                400, "messages[0].content[1].image_url.url", "not a readable");
        assertError(chat(imageRequest("m", "data:image/png;base64,!!!!notbase64!!!!")),
                400, "messages[0].content[1].image_url.url", "base64");
        assertError(chat(imageRequest("m", "data:application/pdf;base64,JVBERi0=")),
                400, "messages[0].content[1].image_url.url", "application/pdf");
        assertError(chat(imageRequest("m", "file:///etc/passwd")),
                400, "messages[0].content[1].image_url.url", "scheme");
        assertError(chat(imageRequest("m", "http://example.com/cat.png")),
                400, "messages[0].content[1].image_url.url", "remote_images");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void should_accept_an_image_within_the_limits() throws Exception {
        RawHttp.Response r = chat(imageRequest("m", Images.pngDataUrl(1000, 1000)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void should_refuse_images_and_tools_for_a_model_without_those_capabilities() throws Exception {
        assertError(chat(imageRequest("text-only", Images.pngDataUrl(10, 10))), 400, "model", "does not accept images");
        assertError(chat("{\"model\":\"text-only\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]}"),
                400, "model", "does not support tools");
    }

    @Test
    void should_answer_unknown_routes_and_methods_in_the_error_shape() throws Exception {
        RawHttp.Response notFound = RawHttp.get(server.port(), "/v1/nothing", Map.of());
        assertError(notFound, 404, null, "/v1/nothing");
        RawHttp.Response wrongMethod = RawHttp.get(server.port(), "/v1/chat/completions", Map.of());
        assertThat(wrongMethod.status()).isIn(404, 405);
        assertThat(wrongMethod.error().path("message").asText()).isNotEmpty();
    }

    @Test
    void should_map_upstream_failures_to_gateway_statuses() throws Exception {
        upstream.next((r, reply) -> reply.error(500, "boom"));
        RawHttp.Response five = chat(textRequest("m"));
        assertError(five, 502, null, "boom");
        assertThat(five.error().path("message").asText()).contains("500");

        upstream.next((r, reply) -> reply.error(401, "bad key"));
        assertError(chat(textRequest("m")), 502, null, "api_key");

        upstream.next((r, reply) -> reply.error(429, "slow down", "Retry-After", "7"));
        RawHttp.Response limited = chat(textRequest("m"));
        assertError(limited, 429, null, "slow down");
        assertThat(limited.header("retry-after")).isEqualTo("7");

        upstream.next((r, reply) -> reply.close());
        assertError(chat(textRequest("m")), 502, null, "m");
    }

    static String textRequest(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static String imageRequest(String model, String url) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"what is this\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + url + "\"}}]}]}";
    }
}
