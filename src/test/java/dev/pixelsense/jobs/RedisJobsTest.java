package dev.pixelsense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.testing.ChildJvm;
import dev.pixelsense.testing.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs contract on Redis, against a real redis-server started for this class. The killed worker
 * is a {@code pixelsense worker} process, SIGKILLed while its job sleeps.
 */
class RedisJobsTest extends JobQueueContract {
    private static RedisServer redis;
    private final List<Process> children = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly().waitFor();
        }
    }

    @Override
    protected JobQueue newQueue(JobSettings settings) {
        return JobQueue.redis(redis.uri(), settings);
    }

    /** A config with two models, the first with an alias (the upstreams are never called: noop jobs). */
    private static final String TWO_MODELS = """
            models:
              - id: qwen-vl
                backend: openai
                base_url: http://127.0.0.1:9/v1
                aliases: [vision]
              - id: llama
                backend: openai
                base_url: http://127.0.0.1:9/v1
            """;

    private String startWorkerProcess(Path config, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("worker", "--config", config.toString(), "--redis",
                redis.uri().toString(), "--lease", settings.lease().toMillis() + "ms", "--prefix", settings.prefix()));
        args.addAll(List.of(extra));
        Process p = ChildJvm.builder(Map.of(), "dev.pixelsense.cli.Main", args.toArray(String[]::new))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        children.add(p);
        String line = p.inputReader(StandardCharsets.UTF_8).readLine();
        assertThat(line).as("the worker's first line").startsWith("worker ready ");
        return line.substring("worker ready ".length());
    }

    @org.junit.jupiter.api.Test
    void should_route_by_the_models_worker_processes_announce_with_models() throws Exception {
        // given two worker processes on one config, given different models with --models (an id and an alias)
        Path config = Files.writeString(dir.resolve("models.yaml"), TWO_MODELS);
        String visionWorker = startWorkerProcess(config, "--models", "qwen-vl,vision");
        String llamaWorker = startWorkerProcess(config, "--models", "llama");

        // when jobs name each model, and one no worker serves
        Job viaAlias = queue.submit(JobRequest.of("noop", json("{}")).withModel("vision"));
        Job llama = queue.submit(JobRequest.of("noop", json("{}")).withModel("llama"));
        Job orphan = queue.submit(JobRequest.of("noop", json("{}")).withModel("mistral"));

        // then each ran on the process that announced its model; the orphan waits
        assertThat(awaitState(viaAlias.id(), JobState.SUCCEEDED, Duration.ofSeconds(20)).worker()).isEqualTo(visionWorker);
        assertThat(awaitState(llama.id(), JobState.SUCCEEDED, Duration.ofSeconds(20)).worker()).isEqualTo(llamaWorker);
        assertThat(queue.get(orphan.id()).state()).isEqualTo(JobState.QUEUED);
        assertThat(queue.get(orphan.id()).message()).contains("no live worker serves model 'mistral'");
    }

    @org.junit.jupiter.api.Test
    void should_serve_every_model_of_the_config_when_no_models_are_named() throws Exception {
        Path config = Files.writeString(dir.resolve("models.yaml"), TWO_MODELS);
        String worker = startWorkerProcess(config);

        Job job = queue.submit(JobRequest.of("noop", json("{}")).withModel("vision"));

        assertThat(awaitState(job.id(), JobState.SUCCEEDED, Duration.ofSeconds(20)).worker()).isEqualTo(worker);
    }

    @Override
    protected Doomed startDoomedWorker() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "models: []\n");
        Process p = ChildJvm.builder(Map.of(), "dev.pixelsense.cli.Main", "worker", "--config", config.toString(),
                "--redis", redis.uri().toString(), "--lease", settings.lease().toMillis() + "ms", "--prefix",
                settings.prefix()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the worker's first line").startsWith("worker ready ");
        String name = line.substring("worker ready ".length());
        return new Doomed() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void kill() throws InterruptedException {
                p.destroyForcibly();   // SIGKILL: no shutdown hook, no ack, no goodbye
                p.waitFor();
            }
        };
    }
}
