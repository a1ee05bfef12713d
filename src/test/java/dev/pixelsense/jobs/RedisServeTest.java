package dev.pixelsense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.Pixelsense;
import dev.pixelsense.api.ApiServer;
import dev.pixelsense.openai.OpenAiJson;
import dev.pixelsense.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code serve --redis}: the server only queues; a worker on the same Redis runs the job. */
class RedisServeTest {
    @Test
    void should_queue_in_redis_and_let_a_worker_run_the_job() throws Exception {
        try (RedisServer redis = RedisServer.start();
             Pixelsense px = Pixelsense.open(Pixelsense.loader(Map.<String, String>of()::get).parse("t.yaml",
                     "server:\n  port: 0\nmodels: []\n"), Map.<String, String>of()::get);
             HttpClient http = HttpClient.newHttpClient()) {
            // given a server queueing in Redis, and a worker process's engine on the same Redis
            JobQueue serverQueue = px.useRedisJobs(redis.uri());
            try (ApiServer api = px.serve();
                 JobQueue workerQueue = JobQueue.redis(redis.uri(), JobSettings.defaults());
                 Worker worker = Worker.start(workerQueue, px.jobHandlers(), 2)) {
                // when a job is posted
                HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/jobs"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"noop\",\"input\":{\"x\":7}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                String id = OpenAiJson.MAPPER.readTree(accepted.body()).path("id").asText();

                // then the worker runs it and the server reads the result from Redis
                assertThat(accepted.statusCode()).isEqualTo(202);
                JsonNode job = null;
                for (int i = 0; i < 250 && !"succeeded".equals(job == null ? null : job.path("status").asText()); i++) {
                    Thread.sleep(20);
                    job = OpenAiJson.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(api.baseUrl()
                            + "/v1/jobs/" + id)).build(), HttpResponse.BodyHandlers.ofString()).body());
                }
                assertThat(job.path("status").asText()).isEqualTo("succeeded");
                assertThat(job.path("worker").asText()).isEqualTo(worker.name());
                assertThat(job.path("result").path("echo").path("x").asInt()).isEqualTo(7);
                assertThat(serverQueue.describe()).isEqualTo("redis 127.0.0.1:" + redis.port());
            }
        }
    }
}
