package dev.pixelsense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.testing.FakeUpstream;
import dev.pixelsense.testing.Images;
import dev.pixelsense.testing.OcrModelFiles;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * describe_images and ocr_images end to end on the in-process engine: posted over HTTP, run by the
 * embedded worker through the describe service, with a scripted vision model (a local server
 * speaking the OpenAI protocol) and the real PP-OCRv4 models. Bad input is a 400 at submit.
 */
class JobTypesTest {
    private FakeUpstream model;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        Path store = OcrModelFiles.pulledStore();
        model = new FakeUpstream();
        server = TestServer.start(JobsOverHttp.visionConfig(model.baseUrl(), """
                store:
                  dir: "%s"
                jobs:
                  inputs:
                    max_images: 3
                    max_image_size: 64KB
                """.formatted(store.toAbsolutePath())));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        model.close();
    }

    private RawHttp.Response submit(String json) throws Exception {
        return RawHttp.post(server.port(), "/v1/jobs", json, Map.of());
    }


    private static String textImage(String text) throws Exception {
        BufferedImage image = new BufferedImage(640, 160, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 640, 160);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 48));
        g.drawString(text, 40, 100);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return Images.dataUrl("image/png", png.toByteArray());
    }

    @Test
    void should_describe_each_image_with_the_default_vision_model() throws Exception {
        // given a model that answers each image in turn
        model.next((r, reply) -> reply.text("a red square", 100, 4));
        model.next((r, reply) -> reply.text("a blue square", 100, 4));

        // when two images are submitted with a prompt
        RawHttp.Response accepted = submit("{\"type\":\"describe_images\",\"input\":{\"images\":[\""
                + Images.pngDataUrl(64, 48) + "\",\"" + Images.pngDataUrl(32, 32) + "\"],\"prompt\":\"What shape?\"}}");

        // then the job was routed to the default vision model and answers each image in order
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json().path("model").asText()).isEqualTo("vlm");
        JsonNode job = JobsOverHttp.awaitEnd(server.port(), accepted.json().path("id").asText());
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("result").path("images")).hasSize(2);
        assertThat(job.path("result").path("images").get(0).path("answer").asText()).isEqualTo("a red square");
        assertThat(job.path("result").path("images").get(1).path("answer").asText()).isEqualTo("a blue square");
        assertThat(job.path("result").path("images").get(1).path("index").asInt()).isEqualTo(1);
        assertThat(job.path("result").path("images").get(0).path("image").path("source_width").asInt()).isEqualTo(64);
        assertThat(job.path("message").asText()).isEqualTo("2 of 2 images");
        assertThat(model.received()).hasSize(2);
        JsonNode content = model.received().get(0).body().path("messages").get(0).path("content");
        assertThat(content.get(0).path("text").asText()).isEqualTo("What shape?");
        assertThat(content.get(1).path("image_url").path("url").asText()).startsWith("data:image/jpeg;base64,");
    }

    @Test
    void should_read_the_text_of_each_image_on_this_machine() throws Exception {
        // when an image with drawn text is submitted for OCR
        RawHttp.Response accepted = submit("{\"type\":\"ocr_images\",\"input\":{\"images\":[\""
                + textImage("HELLO 4242") + "\"]}}");

        // then the lines come back without any model being asked
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonNode job = JobsOverHttp.awaitEnd(server.port(), accepted.json().path("id").asText());
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        JsonNode lines = job.path("result").path("images").get(0).path("lines");
        assertThat(lines.toString()).contains("HELLO").contains("4242");
        assertThat(model.received()).isEmpty();
    }

    @Test
    void should_refuse_bad_image_and_video_inputs_in_openai_error_shape() throws Exception {
        String image = "\"" + Images.pngDataUrl(8, 8) + "\"";
        record Case(String body, int status, String param, String code) {}
        Case[] cases = {
                new Case("{\"type\":\"describe_images\",\"input\":{\"images\":[]}}", 400, "input.images", null),
                new Case("{\"type\":\"describe_images\",\"input\":{\"images\":[" + image + "," + image + "," + image
                        + "," + image + "]}}", 400, "input.images", null),
                new Case("{\"type\":\"ocr_images\",\"input\":{\"images\":[\"data:image/png;base64,"
                        + "A".repeat(100_000) + "\"]}}", 413, "input.images[0]", null),
                new Case("{\"type\":\"ocr_images\",\"input\":{\"images\":[\"ftp://x/y.png\"]}}", 400, "input.images[0]",
                        "invalid_image_url"),
                new Case("{\"type\":\"ocr_images\",\"input\":{\"images\":[\"https://example.com/a.png\"]}}", 400,
                        "input.images[0]", "image_url_disabled"),
                new Case("{\"type\":\"describe_images\",\"input\":{\"images\":[" + image + "],\"max_tokens\":0}}", 400,
                        "input.max_tokens", null),
                new Case("{\"type\":\"describe_video\",\"input\":{\"video\":\"/etc/passwd\"}}", 400, "input.video",
                        "video_path_forbidden"),
                new Case("{\"type\":\"describe_video\",\"input\":{\"video\":\"data:video/mp4;base64,AAAA\","
                        + "\"sampling\":\"random\"}}", 400, "input.sampling", null),
                new Case("{\"type\":\"noop\",\"input\":{},\"priority\":\"urgent\"}", 400, "priority", null),
                new Case("{\"type\":\"describe_images\",\"model\":\"ghost\",\"input\":{\"images\":[" + image
                        + "]}}", 400, "model", "model_not_found"),
                new Case("{\"type\":\"noop\",\"input\":{},\"webhook\":\"https://example.com/hook\"}", 400, "webhook",
                        "webhooks_disabled"),
        };
        for (Case c : cases) {
            RawHttp.Response r = submit(c.body());
            assertThat(r.status()).as(c.body() + " -> " + r.body()).isEqualTo(c.status());
            assertThat(r.error().path("param").asText()).as(r.body()).isEqualTo(c.param());
            assertThat(r.error().path("type").asText()).as(r.body()).isEqualTo("invalid_request_error");
            if (c.code() != null) {
                assertThat(r.error().path("code").asText()).as(r.body()).isEqualTo(c.code());
            }
        }
        assertThat(RawHttp.get(server.port(), "/v1/jobs", Map.of()).json().path("data")).isEmpty();
    }

    @Test
    void should_refuse_a_webhook_to_an_internal_address_unless_allowed() throws Exception {
        // given a server with webhooks on, private targets not allowed
        try (TestServer hooks = TestServer.start("""
                models: []
                jobs:
                  webhooks:
                    secret: a-secret-of-enough-length
                """)) {
            // when jobs name loopback, private and public webhooks
            RawHttp.Response loopback = RawHttp.post(hooks.port(), "/v1/jobs",
                    "{\"type\":\"noop\",\"input\":{},\"webhook\":\"http://127.0.0.1:9/hook\"}", Map.of());
            RawHttp.Response lan = RawHttp.post(hooks.port(), "/v1/jobs",
                    "{\"type\":\"noop\",\"input\":{},\"webhook\":\"http://10.1.2.3/hook\"}", Map.of());
            RawHttp.Response notHttp = RawHttp.post(hooks.port(), "/v1/jobs",
                    "{\"type\":\"noop\",\"input\":{},\"webhook\":\"file:///etc/passwd\"}", Map.of());

            // then the internal ones are refused with the key that would allow them
            assertThat(loopback.status()).isEqualTo(400);
            assertThat(loopback.error().path("code").asText()).isEqualTo("webhook_url_forbidden");
            assertThat(loopback.error().path("message").asText()).contains("jobs.webhooks.allow_private");
            assertThat(lan.error().path("code").asText()).isEqualTo("webhook_url_forbidden");
            assertThat(notHttp.status()).isEqualTo(400);
            assertThat(notHttp.error().path("param").asText()).isEqualTo("webhook");
        }
    }

    @Test
    void should_fetch_http_images_on_the_worker_under_the_remote_image_rules() throws Exception {
        // given a server whose remote images are on (private addresses allowed, for this local test)
        byte[] png = Images.encoded("png", 40, 30);
        var files = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(
                java.net.InetAddress.getLoopbackAddress(), 0), 0);
        files.createContext("/a.png", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/png");
            ex.sendResponseHeaders(200, png.length);
            ex.getResponseBody().write(png);
            ex.close();
        });
        files.start();
        model.next((r, reply) -> reply.text("a small picture", 10, 3));
        try (TestServer remote = TestServer.start(JobsOverHttp.visionConfig(model.baseUrl(), """
                server:
                  port: 0
                  remote_images:
                    enabled: true
                    allow_private: true
                """))) {
            // when a describe_images job names the image by URL
            String url = "http://127.0.0.1:" + files.getAddress().getPort() + "/a.png";
            RawHttp.Response accepted = RawHttp.post(remote.port(), "/v1/jobs",
                    "{\"type\":\"describe_images\",\"input\":{\"images\":[\"" + url + "\"]}}", Map.of());

            // then the worker fetched it and the model saw it
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            JsonNode job = JobsOverHttp.awaitEnd(remote.port(), accepted.json().path("id").asText());
            assertThat(job.path("status").asText()).as(job.path("error").asText()).isEqualTo("succeeded");
            assertThat(job.path("result").path("images").get(0).path("answer").asText()).isEqualTo("a small picture");
            assertThat(job.path("result").path("images").get(0).path("image").path("source_width").asInt())
                    .isEqualTo(40);
        } finally {
            files.stop(0);
        }
    }
}
