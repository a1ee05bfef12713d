package dev.pixelsense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.testing.ChildJvm;
import dev.pixelsense.testing.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis engine against a real redis-server under stress: Redis killed (SIGKILL) and restarted
 * from its append-only file while jobs are queued and running, and 10,000 jobs across three
 * {@code pixelsense worker} processes. Cancelling queued and running jobs is in the contract suite
 * ({@link RedisJobsTest}).
 */
class RedisReliabilityTest {
    private final String prefix = "rel-" + UUID.randomUUID() + ":";
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Process> children = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        for (Process p : children) {
            p.destroyForcibly().waitFor();
        }
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(c);
        return c;
    }

    private JobQueue queue(URI redis) {
        return closing(JobQueue.redis(redis, JobSettings.defaults().withLease(Duration.ofSeconds(1))
                .withRetries(3, Duration.ofMillis(100)).withPrefix(prefix)));
    }

    @Test
    void should_lose_no_accepted_job_when_redis_restarts_from_its_append_only_file() throws Exception {
        // given Redis with AOF (fsync always), two workers and a client submitting all the time
        RedisServer[] redis = {RedisServer.startPersistent(dir)};
        URI uri = redis[0].uri();
        JobQueue client = queue(uri);
        for (int i = 0; i < 2; i++) {
            closing(Worker.start(queue(uri), List.of(new NoopJob()), 2));
        }
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean submitting = new AtomicBoolean(true);
        Thread submitter = Thread.ofVirtual().start(() -> {
            while (submitting.get()) {
                try {
                    accepted.add(client.submit(JobRequest.of("noop", JobQueueContract.json("{\"sleep_ms\":30}"))).id());
                } catch (RuntimeException e) {
                    refused.incrementAndGet();   // not accepted: Redis was down
                }
                Worker.sleepQuietly(2);
            }
        });
        try {
            Thread.sleep(500);
            int before = accepted.size();

            // when Redis is killed mid-stream and comes back from its files
            redis[0] = redis[0].killAndRestart(Duration.ofMillis(500));
            Thread.sleep(500);
            submitting.set(false);
            submitter.join();

            // then every job it accepted, before, during and after, ends succeeded
            assertThat(before).isPositive();
            assertThat(refused.get()).as("submits refused while Redis was down").isPositive();
            assertThat(accepted.size()).isGreaterThan(before);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<String> open = new ArrayList<>(accepted);
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                open.removeIf(id -> client.get(id).state() instanceof JobState.Succeeded);
                Worker.sleepQuietly(100);
            }
            assertThat(open).as("accepted jobs not succeeded (of %d)", accepted.size()).isEmpty();
        } finally {
            submitting.set(false);
            redis[0].close();
        }
    }

    @Test
    void should_run_ten_thousand_jobs_across_three_worker_processes_each_exactly_once() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            // given three worker processes on one Redis
            Path config = Files.writeString(dir.resolve("config.yaml"), "models: []\n");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Process p = ChildJvm.builder(Map.of(), "dev.pixelsense.cli.Main", "worker", "--config",
                        config.toString(), "--redis", redis.uri().toString(), "--prefix", prefix, "--concurrency", "4")
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                children.add(p);
                names.add(p.inputReader(StandardCharsets.UTF_8).readLine());
            }
            assertThat(names).allSatisfy(n -> assertThat(n).startsWith("worker ready "));

            // when 10,000 no-op jobs are submitted in pipelined batches
            JobQueue client = queue(redis.uri());
            List<String> ids = new ArrayList<>();
            for (int batch = 0; batch < 10; batch++) {
                List<JobRequest> requests = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    requests.add(JobRequest.of("noop", JobQueueContract.json("{\"n\":" + (batch * 1000 + i) + "}")));
                }
                client.submitAll(requests).forEach(j -> ids.add(j.id()));
            }

            // then all succeed, each with one attempt and one result, spread over the three processes
            try (RespConnection redisCli = new RespConnection(redis.uri(), 10_000)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
                long done = 0;
                while (done < ids.size() && System.nanoTime() < deadline) {
                    Worker.sleepQuietly(100);
                    done = (Long) redisCli.call("ZCARD", prefix + "state:succeeded");
                }
                assertThat(done).isEqualTo(ids.size());
                for (String id : ids) {
                    redisCli.write("HMGET", prefix + "job:" + id, "state", "attempts", "result", "worker");
                }
                redisCli.flush();
                Map<String, Integer> byWorker = new HashMap<>();
                for (int i = 0; i < ids.size(); i++) {
                    List<?> h = (List<?>) redisCli.read();
                    assertThat(h.get(0)).as(ids.get(i)).isEqualTo("succeeded");
                    assertThat(h.get(1)).as(ids.get(i)).isEqualTo("1");
                    assertThat((String) h.get(2)).as(ids.get(i)).contains("\"n\":" + i).contains("\"attempt\":1");
                    byWorker.merge((String) h.get(3), 1, Integer::sum);
                }
                assertThat(byWorker).hasSize(3);
                assertThat(byWorker.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
                assertThat(redisCli.call("XLEN", prefix + "dead")).isEqualTo(0L);
            }
        }
    }
}
