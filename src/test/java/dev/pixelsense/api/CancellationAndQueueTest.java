package dev.pixelsense.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.testing.FakeUpstream;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that goes away takes its upstream request with it; a full queue answers 429 with
 * Retry-After. The disconnect latency is printed, not asserted (timing belongs in bench/): the
 * assertions only demand that the upstream sees the close at all, within a generous bound.
 */
class CancellationAndQueueTest {
    private FakeUpstream upstream;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUpstream();
        server = TestServer.start("""
                models:
                  - id: m
                    backend: openai
                    base_url: %s
                    max_concurrency: 1
                    queue_size: 1
                """.formatted(upstream.baseUrl()));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        upstream.close();
    }

    @Test
    void should_close_the_upstream_when_a_streaming_client_leaves_before_the_first_token() throws Exception {
        upstream.next((r, reply) -> reply.holdUntilClientGone(true));
        assertUpstreamSeesDisconnect(true);
    }

    @Test
    void should_close_the_upstream_when_a_waiting_client_leaves_a_whole_answer() throws Exception {
        upstream.next((r, reply) -> reply.holdUntilClientGone(false));
        assertUpstreamSeesDisconnect(false);
    }

    @Test
    void should_close_the_upstream_when_a_client_leaves_mid_stream() throws Exception {
        upstream.next((r, reply) -> {
            reply.sseHeaders();
            reply.event(FakeUpstream.chunk("{\"content\":\"first\"}", null));
            reply.holdUntilClientGone(false);
        });
        assertUpstreamSeesDisconnect(true);
    }

    private void assertUpstreamSeesDisconnect(boolean stream) throws Exception {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port());
        String body = "{\"model\":\"m\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        client.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().flush();
        await(() -> upstream.received().size() == 1, Duration.ofSeconds(10));
        Thread.sleep(100);

        long closed = System.nanoTime();
        client.close();
        await(() -> upstream.clientGoneNanos() != 0, Duration.ofSeconds(5));

        double ms = (upstream.clientGoneNanos() - closed) / 1e6;
        System.out.printf("disconnect reached the upstream after %.1f ms (stream=%s)%n", ms, stream);
        // the slot is free again: the next request is served at once
        upstream.next((r, reply) -> reply.text("next", 1, 1));
        assertThat(RawHttp.post(server.port(), "/v1/chat/completions", ErrorsAndLimitsTest.textRequest("m"), Map.of())
                .status()).isEqualTo(200);
    }

    @Test
    void should_answer_429_with_retry_after_when_the_queue_is_full() throws Exception {
        upstream.always((r, reply) -> reply.holdUntilClientGone(false));
        Socket running = open(server.port());
        await(() -> upstream.received().size() == 1, Duration.ofSeconds(10));
        // not the common pool: it has one thread on two cores, and the JDK's HttpClient needs it
        CompletableFuture<RawHttp.Response> queued = CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.post(server.port(), "/v1/chat/completions", ErrorsAndLimitsTest.textRequest("m"), Map.of());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        await(() -> metric("pixelsense_model_queue_depth{model=\"m\"}") == 1.0, Duration.ofSeconds(10));

        RawHttp.Response rejected = RawHttp.post(server.port(), "/v1/chat/completions",
                ErrorsAndLimitsTest.textRequest("m"), Map.of());

        assertThat(rejected.status()).isEqualTo(429);
        assertThat(rejected.error().path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(rejected.error().path("message").asText()).contains("busy").contains("queue_size 1");
        assertThat(Long.parseLong(rejected.header("retry-after"))).isPositive();
        upstream.always((r, reply) -> reply.text("done", 1, 1));
        running.close();
        assertThat(queued.get().status()).isEqualTo(200);
        assertThat(metric("pixelsense_model_queue_depth{model=\"m\"}")).isEqualTo(0.0);
    }

    @Test
    void should_free_a_queue_place_when_a_queued_client_leaves() throws Exception {
        upstream.always((r, reply) -> reply.holdUntilClientGone(false));
        Socket running = open(server.port());
        await(() -> upstream.received().size() == 1, Duration.ofSeconds(10));
        Socket waiting = open(server.port());
        await(() -> metric("pixelsense_model_queue_depth{model=\"m\"}") == 1.0, Duration.ofSeconds(10));

        waiting.close();

        await(() -> metric("pixelsense_model_queue_depth{model=\"m\"}") == 0.0, Duration.ofSeconds(5));
        running.close();
        assertThat(upstream.received()).hasSize(1);
    }

    private static Socket open(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        String body = ErrorsAndLimitsTest.textRequest("m");
        s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + "application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        return s;
    }

    private double metric(String series) {
        try {
            String text = RawHttp.get(server.port(), "/metrics", Map.of()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith(series + " ")) {
                    return Double.parseDouble(line.substring(series.length() + 1));
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(5);
        }
    }
}
