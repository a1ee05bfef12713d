package dev.pixelsense.vision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.testing.FakeUpstream;
import dev.pixelsense.testing.Images;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import dev.pixelsense.testing.Xvfb;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /vision/describe and screen:// images end to end: a real Xvfb screen, captured, sized and sent
 * to a scripted vision model (a local server speaking the OpenAI protocol) that records what it got.
 */
class DescribeTest {
    private static Xvfb xvfb;
    private FakeUpstream model;
    private TestServer server;

    @BeforeAll
    static void startDisplay() throws Exception {
        xvfb = Xvfb.start("+xinerama", "-screen", "0", "1920x1080x24", "-screen", "1", "1280x1024x24");
        System.setProperty("pixelsense.display", xvfb.display());
    }

    @AfterAll
    static void stopDisplay() throws Exception {
        System.clearProperty("pixelsense.display");
        xvfb.close();
    }

    @BeforeEach
    void start() throws Exception {
        model = new FakeUpstream().always((r, reply) -> reply.text("A desktop with nothing open.", 900, 7));
        server = TestServer.start("""
                models:
                  - id: vlm
                    backend: openai
                    base_url: %s
                vision:
                  model: vlm
                  max_edge: 1280
                """.formatted(model.baseUrl()));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        model.close();
    }

    private RawHttp.Response describe(String json) throws Exception {
        return RawHttp.post(server.port(), "/vision/describe", json, Map.of());
    }

    /** The image the model received in its last request, decoded. */
    private BufferedImage sentImage() throws Exception {
        String url = model.last().body().path("messages").get(0).path("content").get(1).path("image_url").path("url")
                .asText();
        assertThat(url).startsWith("data:image/jpeg;base64,");
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
    }

    @Test
    void should_describe_the_screen_with_the_configured_vision_model() throws Exception {
        RawHttp.Response r = describe("{\"task\":\"describe_screen\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("answer").asText()).isEqualTo("A desktop with nothing open.");
        assertThat(body.path("model").asText()).isEqualTo("vlm");
        assertThat(r.header("x-pixelsense-model")).isEqualTo("vlm");
        assertThat(body.path("image").path("source").asText()).isEqualTo("screen");
        assertThat(body.path("image").path("source_width").asInt()).isEqualTo(1920);
        assertThat(body.path("image").path("width").asInt()).isEqualTo(1280);
        assertThat(body.path("image").path("height").asInt()).isEqualTo(720);
        for (String t : new String[] {"capture_ms", "preprocess_ms", "model_ms", "total_ms"}) {
            assertThat(body.path("timings").has(t)).as(t).isTrue();
        }
        BufferedImage sent = sentImage();
        assertThat(sent.getWidth()).isEqualTo(1280);
        assertThat(sent.getHeight()).isEqualTo(720);
        assertThat(model.last().body().path("messages").get(0).path("content").get(0).path("text").asText())
                .isEqualTo(DescribeService.SCREEN_PROMPT);
    }

    @Test
    void should_describe_one_monitor_with_a_prompt_of_the_callers() throws Exception {
        RawHttp.Response r = describe("{\"task\":\"describe_screen\",\"prompt\":\"Is a dialog open?\","
                + "\"capture\":{\"monitor\":1}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(sentImage().getWidth()).isEqualTo(1280);
        assertThat(sentImage().getHeight()).isEqualTo(1024);
        assertThat(model.last().body().path("messages").get(0).path("content").get(0).path("text").asText())
                .isEqualTo("Is a dialog open?");
    }

    @Test
    void should_describe_an_uploaded_image_sized_for_the_model() throws Exception {
        String png = Images.pngDataUrl(2000, 1000);
        RawHttp.Response r = describe("{\"task\":\"describe_image\",\"image\":\"" + png + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("image").path("source").asText()).isEqualTo("upload");
        assertThat(sentImage().getWidth()).isEqualTo(1280);
        assertThat(sentImage().getHeight()).isEqualTo(640);
    }

    @Test
    void should_capture_screen_urls_in_chat_requests() throws Exception {
        RawHttp.Response r = RawHttp.post(server.port(), "/v1/chat/completions", "{\"model\":\"vlm\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is on monitor 1?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"screen://monitor/1\"}}]}]}", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(sentImage().getWidth()).isEqualTo(1280);
        assertThat(sentImage().getHeight()).isEqualTo(1024);

        RawHttp.Response bad = RawHttp.post(server.port(), "/v1/chat/completions", "{\"model\":\"vlm\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"screen://monitor/7\"}}]}]}",
                Map.of());
        assertThat(bad.status()).isEqualTo(404);
    }

    @Test
    void should_refuse_bad_describe_requests_clearly() throws Exception {
        assertThat(describe("{\"task\":\"summarize\"}").error().path("param").asText()).isEqualTo("task");
        assertThat(describe("{\"task\":\"describe_image\"}").error().path("param").asText()).isEqualTo("image");
        RawHttp.Response corrupt = describe("{\"task\":\"describe_image\",\"image\":\"aGVsbG8gd29ybGQ=\"}");
        assertThat(corrupt.status()).isEqualTo(400);
        assertThat(corrupt.error().path("code").asText()).isEqualTo("invalid_image");
        RawHttp.Response bomb = describe("{\"task\":\"describe_image\",\"image\":\""
                + Images.dataUrl("image/png", Images.pngBombHeader(50_000, 50_000)) + "\"}");
        assertThat(bomb.status()).isEqualTo(413);
        assertThat(describe("{\"task\":\"find\"}").error().path("param").asText()).isEqualTo("prompt");
        assertThat(describe("{\"task\":\"describe_screen\",\"capture\":{\"monitor\":9}}").status()).isEqualTo(404);
        assertThat(describe("not json").status()).isEqualTo(400);
        assertThat(model.received()).isEmpty();
    }

    @Test
    void should_say_when_no_vision_model_is_configured() throws Exception {
        try (TestServer bare = TestServer.start("models: []\n")) {
            RawHttp.Response r = RawHttp.post(bare.port(), "/vision/describe", "{\"task\":\"describe_screen\"}", Map.of());
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.error().path("code").asText()).isEqualTo("no_vision_model");
            assertThat(r.error().path("message").asText()).contains("vision.model").contains("read_text");
        }
    }
}
