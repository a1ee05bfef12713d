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
