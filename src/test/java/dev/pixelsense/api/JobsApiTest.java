package dev.pixelsense.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.openai.OpenAiJson;
import dev.pixelsense.testing.FakeUpstream;
import dev.pixelsense.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The jobs API on the default in-process engine, with chat jobs answered by a fake OpenAI upstream. */
class JobsApiTest {
    private FakeUpstream upstream;
    private TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUpstream();
        server = TestServer.start("""
                models:
                  - id: vision-1
                    backend: openai
                    base_url: %s
                """.formatted(upstream.baseUrl()));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        upstream.close();
        http.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(20));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return OpenAiJson.MAPPER.readTree(r.body());
    }

    private JsonNode awaitStatus(String id, String status) throws Exception {
        JsonNode job = null;
        for (int i = 0; i < 500; i++) {
            job = json(send("GET", "/v1/jobs/" + id, null));
            if (job.path("status").asText().equals(status)) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " never became " + status + ": " + job);
    }

    @Test
    void should_run_a_chat_job_through_the_model_manager() throws Exception {
        // given an upstream that answers
        upstream.next((r, reply) -> reply.text("a red circle", 10, 3));

        // when a chat job is submitted
        HttpResponse<String> accepted = send("POST", "/v1/jobs", """
                {"type":"chat","model":"vision-1","input":{"messages":[{"role":"user","content":"what is it?"}]}}""");

        // then it is accepted at once and later holds the completion
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = json(accepted).path("id").asText();
        assertThat(json(accepted).path("object").asText()).isEqualTo("job");
        JsonNode done = awaitStatus(id, "succeeded");
        assertThat(done.path("result").path("choices").get(0).path("message").path("content").asText())
                .isEqualTo("a red circle");
        assertThat(done.path("result").path("model").asText()).isEqualTo("vision-1");
        assertThat(done.path("attempts").asInt()).isEqualTo(1);
        assertThat(done.path("finished_at").asLong()).isGreaterThan(0);
        assertThat(upstream.last().body().path("messages").get(0).path("content").asText()).isEqualTo("what is it?");
    }

    @Test
    void should_list_cancel_and_stream_events() throws Exception {
        // given a long job running
        String id = json(send("POST", "/v1/jobs", """
                {"type":"noop","input":{"sleep_ms":20000,"steps":200}}""")).path("id").asText();
        awaitStatus(id, "running");
        HttpResponse<java.util.stream.Stream<String>> events = http.send(HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/v1/jobs/" + id + "/events")).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        var lineIterator = events.body().iterator();
        List<String> lines = new java.util.ArrayList<>();
        while (!lines.contains("event: progress")) {
            lines.add(lineIterator.next());
        }

        // when it is listed and then cancelled
        JsonNode running = json(send("GET", "/v1/jobs?status=running", null));
        HttpResponse<String> cancelled = send("DELETE", "/v1/jobs/" + id, null);

        // then the list had it, the cancel answers the cancelled job, and the event stream ends with it
        assertThat(running.path("data").findValuesAsText("id")).containsExactly(id);
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(json(cancelled).path("status").asText()).isEqualTo("cancelled");
        lineIterator.forEachRemaining(lines::add);
        assertThat(lines.getFirst()).isEqualTo("event: state");
        assertThat(lines).contains("event: progress");
        assertThat(lines.get(lines.size() - 2)).contains("\"status\":\"cancelled\"");
        assertThat(json(send("GET", "/v1/jobs?status=cancelled", null)).path("data").findValuesAsText("id"))
                .containsExactly(id);
    }

    @Test
    void should_answer_an_idempotent_resubmit_with_the_same_job() throws Exception {
        String body = """
                {"type":"noop","input":{},"idempotency_key":"abc-1"}""";
        String first = json(send("POST", "/v1/jobs", body)).path("id").asText();
        String second = json(send("POST", "/v1/jobs", body)).path("id").asText();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void should_refuse_bad_jobs_in_openai_error_shape() throws Exception {
        HttpResponse<String> unknownType = send("POST", "/v1/jobs", "{\"type\":\"dance\",\"input\":{}}");
        HttpResponse<String> badChat = send("POST", "/v1/jobs", "{\"type\":\"chat\",\"input\":{\"messages\":3}}");
        HttpResponse<String> noInput = send("POST", "/v1/jobs", "{\"type\":\"noop\"}");
        HttpResponse<String> badStatus = send("GET", "/v1/jobs?status=sleeping", null);
        HttpResponse<String> missing = send("GET", "/v1/jobs/job_123", null);

        assertThat(unknownType.statusCode()).isEqualTo(400);
        assertThat(json(unknownType).path("error").path("param").asText()).isEqualTo("type");
        assertThat(badChat.statusCode()).isEqualTo(400);
        assertThat(noInput.statusCode()).isEqualTo(400);
        assertThat(json(noInput).path("error").path("param").asText()).isEqualTo("input");
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("error").path("code").asText()).isEqualTo("job_not_found");
    }
}
