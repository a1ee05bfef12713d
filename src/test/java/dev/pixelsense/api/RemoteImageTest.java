package dev.pixelsense.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.pixelsense.testing.FakeUpstream;
import dev.pixelsense.testing.Images;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** http(s) image URLs: off by default, never to internal addresses unless allowed, inlined for models. */
class RemoteImageTest {
    private final byte[] png = Images.encoded("png", 40, 30);
    private HttpServer images;
    private FakeUpstream upstream;
    private String imageUrl;

    @BeforeEach
    void start() throws Exception {
        images = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        images.createContext("/cat.png", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/png");
            ex.sendResponseHeaders(200, png.length);
            ex.getResponseBody().write(png);
            ex.close();
        });
        images.createContext("/hop", ex -> {
            ex.getResponseHeaders().add("Location", "/cat.png");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        images.start();
        imageUrl = "http://127.0.0.1:" + images.getAddress().getPort();
        upstream = new FakeUpstream();
    }

    @AfterEach
    void stop() throws Exception {
        images.stop(0);
        upstream.close();
    }

    private TestServer server(String remote) {
        return TestServer.start("server:\n  port: 0\n  remote_images: " + remote + "\nmodels:\n  - id: m\n"
                + "    backend: openai\n    base_url: " + upstream.baseUrl() + "\n");
    }

    @Test
    void should_refuse_loopback_image_urls_even_when_remote_images_are_enabled() throws Exception {
        try (TestServer server = server("{enabled: true}")) {
            RawHttp.Response r = RawHttp.post(server.port(), "/v1/chat/completions",
                    ErrorsAndLimitsTest.imageRequest("m", imageUrl + "/cat.png"), Map.of());
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.error().path("code").asText()).isEqualTo("image_url_forbidden");
            assertThat(r.error().path("message").asText()).contains("allow_private");
        }
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void should_fetch_follow_redirects_and_inline_images_when_private_addresses_are_allowed() throws Exception {
        try (TestServer server = server("{enabled: true, allow_private: true}")) {
            RawHttp.Response r = RawHttp.post(server.port(), "/v1/chat/completions",
                    ErrorsAndLimitsTest.imageRequest("m", imageUrl + "/hop"), Map.of());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        String sent = upstream.last().body().path("messages").get(0).path("content").get(1).path("image_url")
                .path("url").asText();
        assertThat(sent).isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(png));
    }

    @Test
    void should_refuse_a_remote_image_over_the_size_limit() throws Exception {
        try (TestServer server = server("{enabled: true, allow_private: true, max_size: 100}")) {
            RawHttp.Response r = RawHttp.post(server.port(), "/v1/chat/completions",
                    ErrorsAndLimitsTest.imageRequest("m", imageUrl + "/cat.png"), Map.of());
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.error().path("message").asText()).contains("remote_images.max_size");
        }
    }

    @Test
    void should_classify_internal_addresses() throws Exception {
        for (String internal : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1"}) {
            assertThat(RemoteImageFetcher.isInternal(InetAddress.getByName(internal))).as(internal).isTrue();
        }
        for (String external : new String[] {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"}) {
            assertThat(RemoteImageFetcher.isInternal(InetAddress.getByName(external))).as(external).isFalse();
        }
    }
}
