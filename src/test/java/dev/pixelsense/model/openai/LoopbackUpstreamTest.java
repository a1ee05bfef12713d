package dev.pixelsense.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.CancelledException;
import dev.pixelsense.error.RateLimitedException;
import dev.pixelsense.error.UpstreamException;
import dev.pixelsense.error.UpstreamTimeoutException;
import dev.pixelsense.model.CallContext;
import dev.pixelsense.model.ChatStream;
import dev.pixelsense.openai.ChatChunk;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.openai.OpenAiJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The blocking loopback client against a real socket server that writes exactly the bytes each
 * test scripts: framing (chunked, Content-Length, read-to-close), error answers, the idle
 * deadline and cancellation closing the runner's connection.
 */
class LoopbackUpstreamTest {
    private static final String CHUNK = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":%s}]}";

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ServerSocket server = server();
    private final CompletableFuture<String> request = new CompletableFuture<>();
    private final CompletableFuture<Boolean> clientClosed = new CompletableFuture<>();

    @AfterEach
    void stop() throws IOException {
        server.close();
        timers.shutdownNow();
    }

    @Test
    void should_decode_a_chunked_event_stream_split_at_odd_places() throws Exception {
        String events = "data: " + CHUNK.formatted("Hel", "null") + "\n\n"
                + ": comment\n\ndata: " + CHUNK.formatted("lo", "\"stop\"") + "\n\ndata: [DONE]\n\n";
        byte[] bytes = events.getBytes(StandardCharsets.UTF_8);
        StringBuilder chunked = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        for (int at = 0; at < bytes.length; at += 37) {
            int n = Math.min(37, bytes.length - at);
            chunked.append(Integer.toHexString(n)).append(at == 0 ? ";ext=1" : "").append("\r\n")
                    .append(new String(bytes, at, n, StandardCharsets.UTF_8)).append("\r\n");
        }
        serve(chunked.append("0\r\nX-Trailer: t\r\n\r\n").toString(), false);

        try (OpenAiBackend backend = backend(Duration.ofSeconds(5));
             ChatStream stream = backend.stream(request(), new CallContext())) {
            assertThat(stream.next().text()).isEqualTo("Hel");
            assertThat(stream.next().text()).isEqualTo("lo");
            assertThat(stream.next()).isNull();
        }
        assertThat(request.get(5, TimeUnit.SECONDS))
                .startsWith("POST /v1/chat/completions HTTP/1.1\r\n")
                .contains("Accept: text/event-stream").doesNotContain("Connection: close")
                .contains("\"stream\":true");
    }

    @Test
    void should_read_content_length_and_read_to_close_answers() throws Exception {
        String completion = "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":"
                + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}";
        serve("HTTP/1.1 200 OK\r\nContent-Length: " + completion.length() + "\r\n\r\n" + completion, true);
        try (OpenAiBackend backend = backend(Duration.ofSeconds(5))) {
            assertThat(backend.complete(request(), new CallContext()).choices().getFirst().message().content().text())
                    .isEqualTo("hi");
        }

        serve("HTTP/1.1 200 OK\r\n\r\ndata: " + CHUNK.formatted("x", "\"stop\"") + "\n\ndata: [DONE]\n\n", true);
        try (OpenAiBackend backend = backend(Duration.ofSeconds(5));
             ChatStream stream = backend.stream(request(), new CallContext())) {
            assertThat(stream.next().text()).isEqualTo("x");
            assertThat(stream.next()).isNull();
        }
    }

    @Test
    void should_turn_error_statuses_and_their_bodies_into_the_matching_exceptions() throws Exception {
        String body = "{\"error\":{\"message\":\"context is full\"}}";
        serve("HTTP/1.1 400 Bad Request\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, true);
        try (OpenAiBackend backend = backend(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> backend.stream(request(), new CallContext()))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageEndingWith("answered 400: context is full");
        }

        serve("HTTP/1.1 429 Too Many\r\nRetry-After: 7\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbusy\r\n0\r\n\r\n", true);
        try (OpenAiBackend backend = backend(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> backend.stream(request(), new CallContext()))
                    .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(7))
                    .hasMessageEndingWith(": busy");
        }
    }

    @Test
    void should_fail_a_stream_whose_connection_ends_inside_a_chunk() throws Exception {
        serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n200\r\ndata: {\"id\"", true);
        try (OpenAiBackend backend = backend(Duration.ofSeconds(5));
             ChatStream stream = backend.stream(request(), new CallContext())) {
            assertThatThrownBy(stream::next)
                    .isInstanceOf(UpstreamException.class)
                    .hasMessageContaining("in the middle of a chunk");
        }
    }

    @Test
    void should_time_out_an_idle_stream_and_close_the_connection() throws Exception {
        serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("data: " + CHUNK.formatted("a", "null") + "\n\n"),
                false);
        try (OpenAiBackend backend = backend(Duration.ofMillis(300));
             ChatStream stream = backend.stream(request(), new CallContext())) {
            assertThat(stream.next().text()).isEqualTo("a");
            long start = System.nanoTime();
            assertThatThrownBy(stream::next)
                    .isInstanceOf(UpstreamTimeoutException.class)
                    .hasMessageContaining("timed out waiting for the next chunk");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
        assertThat(clientClosed.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void should_close_the_runner_connection_when_the_caller_cancels_mid_stream() throws Exception {
        cancelAfterTheFirstChunk(call -> timers.schedule(call::cancel, 200, TimeUnit.MILLISECONDS),
                () -> assertThat(clientClosed.get(5, TimeUnit.SECONDS)).isTrue());
    }

    @Test
    void should_report_a_cancellation_that_came_between_two_reads_as_one() throws Exception {
        // the cancel lands while the reader is busy elsewhere (writing to its client): its next read
        // finds the body ended, which must not read as the runner cutting the answer short
        cancelAfterTheFirstChunk(CallContext::cancel, () -> { });
    }

    private interface Check {
        void run() throws Exception;
    }

    /** An answer that stops after one chunk, cancelled by {@code cancel}: the next read must say cancelled. */
    private void cancelAfterTheFirstChunk(java.util.function.Consumer<CallContext> cancel, Check then) throws Exception {
        serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("data: " + CHUNK.formatted("a", "null") + "\n\n"),
                false);
        CallContext call = new CallContext();
        try (OpenAiBackend backend = backend(Duration.ofSeconds(30));
             ChatStream stream = backend.stream(request(), call)) {
            assertThat(stream.next().text()).isEqualTo("a");
            cancel.accept(call);
            assertThatThrownBy(stream::next).isInstanceOf(CancelledException.class);
            then.run();
        }
    }

    @Test
    void should_say_the_runner_refused_the_connection() throws Exception {
        int port = server.getLocalPort();
        server.close();
        OpenAiSettings s = settings(port, Duration.ofSeconds(5));
        try (OpenAiBackend backend = new OpenAiBackend("m", s, timers, new LoopbackUpstream(Duration.ofSeconds(2)))) {
            assertThatThrownBy(() -> backend.stream(request(), new CallContext()))
                    .isInstanceOf(UpstreamException.class)
                    .hasMessageContaining("cannot connect to http://127.0.0.1:" + port);
        }
    }

    @Test
    void should_hand_on_a_chunk_before_the_line_end_that_closes_it_arrives() throws Exception {
        // Jetty sends a chunk's closing CRLF at the start of the next chunk's header, so a client
        // that waits for it holds each event back until the next one (a token late)
        java.util.concurrent.CountDownLatch firstRead = new java.util.concurrent.CountDownLatch(1);
        String first = "data: " + CHUNK.formatted("Hel", "null") + "\n\n";
        String second = "data: " + CHUNK.formatted("lo", "\"stop\"") + "\n\ndata: [DONE]\n\n";
        Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                readRequest(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(first.length()) + "\r\n" + first).getBytes(StandardCharsets.UTF_8));
                out.flush();
                firstRead.await();
                out.write(("\r\n" + Integer.toHexString(second.length()) + "\r\n" + second + "\r\n0\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                s.getInputStream().read();
            } catch (IOException | InterruptedException e) {
                // the test is over
            }
        });
        // the idle deadline ends a client that waits for the line end: next() then times out
        try (OpenAiBackend backend = backend(Duration.ofSeconds(5));
             ChatStream stream = backend.stream(request(), new CallContext())) {
            assertThat(stream.next().text()).isEqualTo("Hel");
            firstRead.countDown();
            assertThat(stream.next().text()).isEqualTo("lo");
            assertThat(stream.next()).isNull();
        }
    }

    @Test
    void should_refuse_an_event_larger_than_the_limit_and_text_that_is_not_a_chunk() throws Exception {
        serve("HTTP/1.1 200 OK\r\n\r\ndata: {\"a\":\"" + "x".repeat(SseChatStream.MAX_EVENT) + "\"}\n\n", true);
        try (OpenAiBackend backend = backend(Duration.ofSeconds(10));
             ChatStream stream = backend.stream(request(), new CallContext())) {
            assertThatThrownBy(stream::next)
                    .isInstanceOf(UpstreamException.class)
                    .hasMessageContaining("a line longer than 16 MiB");
        }

        serve("HTTP/1.1 200 OK\r\n\r\ndata: {\"choices\":\"none\"}\n\ndata: [DONE]\n\n", true);
        try (OpenAiBackend backend = backend(Duration.ofSeconds(5));
             ChatStream stream = backend.stream(request(), new CallContext())) {
            assertThatThrownBy(stream::next)
                    .isInstanceOf(UpstreamException.class)
                    .hasMessageContaining("not a chat.completion.chunk");
        }
    }

    @Test
    void should_keep_the_connection_for_the_next_request() throws Exception {
        String completion = "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":"
                + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"whole\"},\"finish_reason\":\"stop\"}]}";
        List<String> requests = serveKeptAlive(List.of(streamed("one"), streamed("two"),
                "HTTP/1.1 200 OK\r\nContent-Length: " + completion.length() + "\r\n\r\n" + completion), false);
        LoopbackUpstream upstream = new LoopbackUpstream(Duration.ofSeconds(2));
        try (OpenAiBackend backend = new OpenAiBackend("m", settings(server.getLocalPort(), Duration.ofSeconds(5)),
                timers, upstream)) {
            assertThat(answer(backend)).isEqualTo("one");
            assertThat(answer(backend)).isEqualTo("two");
            assertThat(backend.complete(request(), new CallContext()).choices().getFirst().message().content().text())
                    .isEqualTo("whole");
            assertThat(upstream.idleConnections()).isEqualTo(1);
        }
        assertThat(requests).hasSize(3);
        assertThat(connections.get()).as("three requests on one connection").isEqualTo(1);
    }

    @Test
    void should_send_again_on_a_new_connection_when_a_kept_one_was_closed_while_idle() throws Exception {
        List<String> requests = serveKeptAlive(List.of(streamed("one"), streamed("two")), true);
        try (OpenAiBackend backend = backend(Duration.ofSeconds(5))) {
            assertThat(answer(backend)).isEqualTo("one");
            Thread.sleep(100); // the runner's side of the kept connection is closed by now
            assertThat(answer(backend)).isEqualTo("two");
        }
        assertThat(requests).hasSize(2);
        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void should_not_keep_a_connection_the_runner_closes_or_an_answer_left_unfinished() throws Exception {
        String completion = "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[]}";
        serveKeptAlive(List.of("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + completion.length()
                + "\r\n\r\n" + completion, streamed("a", "b")), false);
        LoopbackUpstream upstream = new LoopbackUpstream(Duration.ofSeconds(2));
        try (OpenAiBackend backend = new OpenAiBackend("m", settings(server.getLocalPort(), Duration.ofSeconds(5)),
                timers, upstream)) {
            backend.complete(request(), new CallContext());
            assertThat(upstream.idleConnections()).as("Connection: close").isZero();
            try (ChatStream stream = backend.stream(request(), new CallContext())) {
                assertThat(stream.next().text()).isEqualTo("a");
            }
            assertThat(upstream.idleConnections()).as("closed after the first of two pieces").isZero();
        }
        assertThat(connections.get()).isEqualTo(2);
    }

    private String answer(OpenAiBackend backend) {
        StringBuilder text = new StringBuilder();
        try (ChatStream stream = backend.stream(request(), new CallContext())) {
            for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
                text.append(c.text() == null ? "" : c.text());
            }
        }
        return text.toString();
    }

    /** A chunked event stream: one chunk per piece, the last one finished, then [DONE] and the last chunk. */
    private static String streamed(String... pieces) {
        StringBuilder answer = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < pieces.length; i++) {
            answer.append(chunk("data: " + CHUNK.formatted(pieces[i], i == pieces.length - 1 ? "\"stop\"" : "null")
                    + "\n\n"));
        }
        return answer.append(chunk("data: [DONE]\n\n")).append("0\r\n\r\n").toString();
    }

    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Answers requests with {@code answers} in turn, several on a connection as HTTP/1.1 allows;
     * with {@code closeEach} a connection is closed after its first answer. Returns the requests seen.
     */
    private List<String> serveKeptAlive(List<String> answers, boolean closeEach) {
        List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            InputStream in = s.getInputStream();
                            do {
                                requests.add(readRequest(in));
                                s.getOutputStream().write(answers.get(next.getAndIncrement()).getBytes(StandardCharsets.UTF_8));
                                s.getOutputStream().flush();
                            } while (!closeEach);
                        } catch (IOException | RuntimeException e) {
                            // the client closed the connection, or there is nothing more to answer
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return requests;
    }

    private static String chunk(String s) {
        return Integer.toHexString(s.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + s + "\r\n";
    }

    /** Answers the next connection with {@code answer}; closes it after, or waits for the client to. */
    private void serve(String answer, boolean closeAfter) {
        Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                request.complete(readRequest(in));
                OutputStream out = s.getOutputStream();
                out.write(answer.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (closeAfter) {
                    return;
                }
                clientClosed.complete(in.read() < 0);
            } catch (IOException e) {
                clientClosed.complete(true);
            }
        });
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("the client closed the connection");
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int at = text.indexOf("Content-Length: ") + 16;
        int length = Integer.parseInt(text.substring(at, text.indexOf("\r\n", at)));
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private OpenAiBackend backend(Duration idle) {
        return new OpenAiBackend("m", settings(server.getLocalPort(), idle), timers,
                new LoopbackUpstream(Duration.ofSeconds(2)));
    }

    private static OpenAiSettings settings(int port, Duration idle) {
        var d = new OpenAiSettings.Deployment(java.net.URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"),
                null, "m", Map.of());
        return new OpenAiSettings(List.of(d), new OpenAiSettings.Timeouts(Duration.ofSeconds(2), idle, idle,
                Duration.ofSeconds(10)), Duration.ofSeconds(1));
    }

    private static ChatRequest request() {
        return OpenAiJson.read("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                .getBytes(StandardCharsets.UTF_8), ChatRequest.class);
    }

    private static ServerSocket server() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
