package dev.pixelsense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.openai.OpenAiJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The jobs contract, run against every engine (subclasses). Leases of 1 s and backoff of 100 ms
 * keep the reclaim and retry cases fast; every test has its own key prefix.
 */
abstract class JobQueueContract {
    protected final JobSettings settings = JobSettings.defaults().withLease(Duration.ofSeconds(1))
            .withRetries(3, Duration.ofMillis(100)).withPrefix("test-" + UUID.randomUUID() + ":");
    protected JobQueue queue;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** A queue of the engine under test, with {@link #settings}. */
    protected abstract JobQueue newQueue(JobSettings settings) throws Exception;

    /** A worker that can be killed mid-job (for Redis: a worker process, SIGKILLed). */
    protected abstract Doomed startDoomedWorker() throws Exception;

    protected interface Doomed {
        String name();

        void kill() throws Exception;
    }

    @BeforeEach
    void openQueue() throws Exception {
        queue = newQueue(settings);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
        queue.close();
    }

    protected Worker worker(int concurrency) {
        return worker(concurrency, Set.of("some-model"), new NoopJob());
    }

    protected Worker worker(int concurrency, Set<String> models, JobHandler... handlers) {
        Worker w = Worker.start(queue, List.of(handlers), concurrency, models);
        closeables.add(w);
        return w;
    }

    /** A handler of type {@code noop} that records the order it ran jobs in. */
    protected static JobHandler recording(List<String> ran) {
        return new JobHandler() {
            @Override
            public String type() {
                return "noop";
            }

            @Override
            public JsonNode run(JobContext context) {
                ran.add(context.job().id());
                return OpenAiJson.MAPPER.createObjectNode();
            }
        };
    }

    protected static JsonNode json(String text) {
        try {
            return OpenAiJson.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    protected Job awaitState(String id, JobState state, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        Job job = queue.get(id);
        while (!job.state().equals(state) && System.nanoTime() < deadline) {
            sleep(20);
            job = queue.get(id);
        }
        assertThat(job.state()).as("state of %s", job).isEqualTo(state);
        return job;
    }

    protected static void await(Supplier<Boolean> condition, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(20);
        }
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void should_submit_get_and_list_jobs() {
        // given a job submitted before any worker runs
        Job submitted = queue.submit(new JobRequest("noop", json("{\"n\":1}"), "some-model", 5, null, null));
        assertThat(submitted.state()).isEqualTo(JobState.QUEUED);
        assertThat(submitted.id()).startsWith("job_");
        assertThat(queue.list(JobState.QUEUED, 100)).extracting(Job::id).containsExactly(submitted.id());

        // when a worker starts
        worker(1);

        // then it runs and its result can be read and listed
        Job done = awaitState(submitted.id(), JobState.SUCCEEDED, Duration.ofSeconds(10));
        assertThat(done.result().path("echo").path("n").asInt()).isEqualTo(1);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.model()).isEqualTo("some-model");
        assertThat(done.priority()).isEqualTo(5);
        assertThat(done.progress()).isEqualTo(1.0);
        assertThat(done.createdAt()).isNotNull();
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
        assertThat(queue.list(JobState.SUCCEEDED, 100)).extracting(Job::id).containsExactly(submitted.id());
        assertThat(queue.list(JobState.QUEUED, 100)).isEmpty();
        assertThat(queue.list(null, 100)).hasSize(1);
    }

    @Test
    void should_say_not_found_for_an_unknown_job() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> queue.get("job_000000000000000000000000"))
                .isInstanceOf(dev.pixelsense.error.NotFoundException.class).hasMessageContaining("No job");
    }

    @Test
    void should_send_progress_and_state_events() {
        // given a subscriber on a three-step job
        Job job = queue.submit(JobRequest.of("noop", json("{\"sleep_ms\":300,\"steps\":3}")));
        List<JobEvent> events = new CopyOnWriteArrayList<>();
        try (var ignored = queue.subscribe(job.id(), events::add)) {
            // when it runs
            worker(1);
            awaitState(job.id(), JobState.SUCCEEDED, Duration.ofSeconds(10));
            await(() -> events.stream().anyMatch(e -> e.state().terminal()), Duration.ofSeconds(5), "the last event");
        }

        // then the subscriber saw running, each step, and succeeded, in order
        assertThat(events).extracting(JobEvent::kind, e -> e.state().name(), JobEvent::progress).containsExactly(
                org.assertj.core.groups.Tuple.tuple("state", "running", 0.0),
                org.assertj.core.groups.Tuple.tuple("progress", "running", 1.0 / 3),
                org.assertj.core.groups.Tuple.tuple("progress", "running", 2.0 / 3),
                org.assertj.core.groups.Tuple.tuple("progress", "running", 1.0),
                org.assertj.core.groups.Tuple.tuple("state", "succeeded", 1.0));
        assertThat(events.get(2).message()).isEqualTo("step 2 of 3");
    }

    @Test
    void should_cancel_a_queued_job() {
        // given a queued job
        Job job = queue.submit(JobRequest.of("noop", json("{}")));

        // when it is cancelled before a worker runs
        assertThat(queue.cancel(job.id()).state()).isEqualTo(JobState.CANCELLED);
        worker(1);
        Job later = queue.submit(JobRequest.of("noop", json("{}")));
        awaitState(later.id(), JobState.SUCCEEDED, Duration.ofSeconds(10));

        // then it never ran, and cancelling again changes nothing
        Job cancelled = queue.get(job.id());
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.attempts()).isZero();
        assertThat(queue.cancel(job.id()).state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void should_cancel_a_running_job_by_interrupting_it() {
        // given a long job running on a one-slot worker
        worker(1);
        Job job = queue.submit(JobRequest.of("noop", json("{\"sleep_ms\":30000,\"steps\":300}")));
        awaitState(job.id(), JobState.RUNNING, Duration.ofSeconds(10));

        // when it is cancelled
        long start = System.nanoTime();
        assertThat(queue.cancel(job.id()).state()).isEqualTo(JobState.CANCELLED);

        // then the slot is free again at once, and the job stays cancelled
        Job next = queue.submit(JobRequest.of("noop", json("{}")));
        awaitState(next.id(), JobState.SUCCEEDED, Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        Job cancelled = queue.get(job.id());
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.result()).isNull();
        assertThat(cancelled.progress()).isLessThan(0.5);
    }

    @Test
    void should_retry_a_poison_job_then_dead_letter_it() {
        // given a job that fails on every attempt
        worker(2);
        Job job = queue.submit(JobRequest.of("noop", json("{\"fail\":true}")));

        // when the worker has tried it
        Job failed = awaitState(job.id(), JobState.FAILED, Duration.ofSeconds(10));

        // then it was tried the maximum number of times, with backoff, and dead-lettered once
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.error()).contains("asked to fail (attempt 3)");
        assertThat(Duration.between(failed.createdAt(), failed.finishedAt())).isGreaterThanOrEqualTo(
                Duration.ofMillis(250));   // 100 ms + 200 ms of backoff, less clock granularity
        assertThat(((Broker) queue).deadLetterCount()).isEqualTo(1);
    }

    @Test
    void should_make_one_job_for_a_repeated_idempotency_key() throws Exception {
        // when ten clients submit with the same key at once
        Set<String> ids = ConcurrentHashMap.newKeySet();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10; i++) {
                pool.submit(() -> ids.add(queue.submit(JobRequest.of("noop", json("{}")).withIdempotencyKey("order-42"))
                        .id()));
            }
        }

        // then there is one job, and it runs once
        assertThat(ids).hasSize(1);
        assertThat(queue.list(null, 100)).hasSize(1);
        worker(2);
        Job done = awaitState(ids.iterator().next(), JobState.SUCCEEDED, Duration.ofSeconds(10));
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(queue.submit(JobRequest.of("noop", json("{}")).withIdempotencyKey("order-42")).id())
                .isEqualTo(done.id());
    }

    @Test
    void should_keep_the_first_result_when_a_reclaimed_job_finishes_twice() throws Exception {
        // given a job taken by A, whose lease then runs out, and taken over by B
        Broker broker = (Broker) queue;
        Job job = queue.submit(JobRequest.of("noop", json("{}")));
        Broker.Delivery first = broker.take("A", Duration.ofSeconds(5));
        assertThat(broker.start(first, "A")).isNotNull();
        Broker.Delivery second = broker.take("B", Duration.ofSeconds(5));
        assertThat(second).as("reclaimed after the 1 s lease").isNotNull();
        assertThat(second.id()).isEqualTo(job.id());
        assertThat(broker.start(second, "B").attempts()).isEqualTo(2);
        assertThat(broker.renew(first, "A")).as("A lost its lease").isFalse();

        // when both finish
        ObjectNode fromB = OpenAiJson.MAPPER.createObjectNode().put("by", "B");
        ObjectNode fromA = OpenAiJson.MAPPER.createObjectNode().put("by", "A");
        boolean bWon = broker.succeed(second, fromB);
        boolean aWon = broker.succeed(first, fromA);

        // then exactly one result is kept
        assertThat(bWon).isTrue();
        assertThat(aWon).isFalse();
        Job done = queue.get(job.id());
        assertThat(done.result().path("by").asText()).isEqualTo("B");
        assertThat(done.worker()).isEqualTo("B");
        assertThat(broker.take("C", Duration.ofMillis(1500))).as("nothing left to deliver").isNull();
    }

    @Test
    void should_complete_the_job_of_a_killed_worker_elsewhere_with_one_result() throws Exception {
        // given a job running on a worker that is then killed
        Job job = queue.submit(JobRequest.of("noop", json("{\"sleep_ms\":1500}")));
        Doomed doomed = startDoomedWorker();
        await(() -> queue.get(job.id()).state() instanceof JobState.Running, Duration.ofSeconds(30), "the job to start");
        assertThat(queue.get(job.id()).worker()).isEqualTo(doomed.name());
        doomed.kill();

        // when another worker runs
        Worker healthy = worker(1);

        // then it reclaims the job once the lease ran out and completes it
        Job done = awaitState(job.id(), JobState.SUCCEEDED, Duration.ofSeconds(15));
        assertThat(done.worker()).isEqualTo(healthy.name());
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.result().path("attempt").asInt()).isEqualTo(2);
        sleep(2000);   // the dead worker's attempt would have ended by now
        assertThat(queue.get(job.id()).result()).isEqualTo(done.result());
        assertThat(queue.list(null, 100)).hasSize(1);
    }

    @Test
    void should_keep_a_job_longer_than_its_lease_on_its_worker_by_renewing_the_lease() {
        // given two idle workers, and a job that runs for three leases
        worker(1);
        worker(1);
        Job job = queue.submit(JobRequest.of("noop", json("{\"sleep_ms\":3000,\"steps\":3}")));

        // when it has run
        Job done = awaitState(job.id(), JobState.SUCCEEDED, Duration.ofSeconds(15));

        // then the heartbeat kept it: one attempt, never reclaimed by the other worker
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.result().path("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void should_run_a_job_naming_a_model_only_on_a_worker_that_serves_it() {
        // given two workers serving different models
        Worker alpha = worker(2, Set.of("alpha"), new NoopJob());
        Worker beta = worker(2, Set.of("beta", "beta-alias"), new NoopJob());

        // when jobs name each model, an alias, no model, and a model nobody serves
        List<Job> forAlpha = new ArrayList<>();
        List<Job> forBeta = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            forAlpha.add(queue.submit(JobRequest.of("noop", json("{}")).withModel("alpha")));
            forBeta.add(queue.submit(JobRequest.of("noop", json("{}")).withModel(i % 2 == 0 ? "beta" : "beta-alias")));
        }
        Job anyone = queue.submit(JobRequest.of("noop", json("{}")));
        Job orphan = queue.submit(JobRequest.of("noop", json("{}")).withModel("gamma"));

        // then each ran on the worker serving its model, and the orphan waits, saying why
        forAlpha.forEach(j -> assertThat(awaitState(j.id(), JobState.SUCCEEDED, Duration.ofSeconds(10)).worker())
                .isEqualTo(alpha.name()));
        forBeta.forEach(j -> assertThat(awaitState(j.id(), JobState.SUCCEEDED, Duration.ofSeconds(10)).worker())
                .isEqualTo(beta.name()));
        assertThat(awaitState(anyone.id(), JobState.SUCCEEDED, Duration.ofSeconds(10)).worker())
                .isIn(alpha.name(), beta.name());
        sleep(1500);   // more than a lease: nothing may have taken it
        Job waiting = queue.get(orphan.id());
        assertThat(waiting.state()).isEqualTo(JobState.QUEUED);
        assertThat(waiting.attempts()).isZero();
        assertThat(waiting.message()).contains("no live worker serves model 'gamma'");
        assertThat(queue.list(JobState.QUEUED, 10)).extracting(Job::id).containsExactly(orphan.id());

        // and once a worker serving it comes, it runs there
        Worker gamma = worker(1, Set.of("gamma"), new NoopJob());
        assertThat(awaitState(orphan.id(), JobState.SUCCEEDED, Duration.ofSeconds(10)).worker()).isEqualTo(gamma.name());
    }

    @Test
    void should_run_high_priority_jobs_before_normal_and_low_ones() {
        // given jobs queued low, normal, high (twice over) before any worker runs
        List<String> expected = new ArrayList<>();
        List<String> low = new ArrayList<>();
        List<String> normal = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            low.add(queue.submit(JobRequest.of("noop", json("{}")).withPriority(JobRequest.LOW)).id());
            normal.add(queue.submit(JobRequest.of("noop", json("{}"))).id());
            expected.add(queue.submit(JobRequest.of("noop", json("{}")).withPriority(JobRequest.HIGH)).id());
        }
        expected.addAll(normal);
        expected.addAll(low);

        // when one single-slot worker runs them
        List<String> ran = new CopyOnWriteArrayList<>();
        worker(1, Set.of(), recording(ran));
        await(() -> ran.size() == 6, Duration.ofSeconds(10), "all six jobs");

        // then high ran first, then normal, then low, each band in submission order
        assertThat(ran).containsExactlyElementsOf(expected);
    }

    /** A local HTTP receiver answering each POST with the next status of {@code statuses} (the last repeats). */
    protected record Hook(com.sun.net.httpserver.HttpServer server, List<Posted> posted) implements AutoCloseable {
        static Hook start(int... statuses) throws java.io.IOException {
            List<Posted> posted = new CopyOnWriteArrayList<>();
            var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(
                    java.net.InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/hook", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                posted.add(new Posted(ex.getRequestHeaders().getFirst("X-Pixelsense-Signature"),
                        ex.getRequestHeaders().getFirst("X-Pixelsense-Timestamp"), body));
                ex.sendResponseHeaders(statuses[Math.min(posted.size(), statuses.length) - 1], -1);
                ex.close();
            });
            server.start();
            return new Hook(server, posted);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    protected record Posted(String signature, String timestamp, byte[] body) {
        JsonNode json() {
            return JobQueueContract.json(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static final String SECRET = "contract-secret-0123456789";

    /** The signature as a receiver computes it: HMAC-SHA256 of the exact body, hex. */
    private static String expectedSignature(byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    private Webhooks webhooks(int maxAttempts) {
        Webhooks w = Webhooks.start(queue, new dev.pixelsense.config.JobsConfig.Webhooks(SECRET, true, maxAttempts,
                Duration.ofMillis(100), Duration.ofSeconds(2)));
        closeables.add(w);
        return w;
    }

    @Test
    void should_post_a_signed_webhook_when_a_job_ends_retrying_after_server_errors() throws Exception {
        // given a receiver that fails twice with 500, then takes the POST
        try (Hook hook = Hook.start(500, 500, 204)) {
            webhooks(5);
            worker(1);

            // when a job with a webhook succeeds
            Job job = queue.submit(JobRequest.of("noop", json("{\"x\":7}")).withWebhook(hook.url()));
            assertThat(job.webhook().status()).isEqualTo("pending");
            awaitState(job.id(), JobState.SUCCEEDED, Duration.ofSeconds(10));
            await(() -> "delivered".equals(queue.get(job.id()).webhook().status()), Duration.ofSeconds(10),
                    "the webhook to be delivered");

            // then it was POSTed three times, each signed over its exact body, with the final job
            assertThat(hook.posted()).hasSize(3);
            for (Posted p : hook.posted()) {
                assertThat(p.signature()).isEqualTo(expectedSignature(p.body()));
                assertThat(Long.parseLong(p.timestamp())).isCloseTo(java.time.Instant.now().getEpochSecond(),
                        org.assertj.core.data.Offset.offset(60L));
                assertThat(p.json().path("id").asText()).isEqualTo(job.id());
                assertThat(p.json().path("status").asText()).isEqualTo("succeeded");
                assertThat(p.json().path("result").path("echo").path("x").asInt()).isEqualTo(7);
            }
            Job.Webhook state = queue.get(job.id()).webhook();
            assertThat(state.attempts()).isEqualTo(3);
            assertThat(state.error()).isNull();
            assertThat(state.deliveredAt()).isNotNull();
            sleep(500);
            assertThat(hook.posted()).as("nothing after delivery").hasSize(3);
        }
    }

    @Test
    void should_give_up_a_webhook_after_its_attempts_and_say_why() throws Exception {
        // given a receiver that always fails
        try (Hook hook = Hook.start(503)) {
            webhooks(2);

            // when a queued job with a webhook is cancelled
            Job job = queue.submit(JobRequest.of("noop", json("{}")).withWebhook(hook.url()));
            queue.cancel(job.id());

            // then the cancelled job was POSTed twice, and the job says the delivery failed
            await(() -> "failed".equals(queue.get(job.id()).webhook().status()), Duration.ofSeconds(10),
                    "the webhook to fail");
            assertThat(hook.posted()).hasSize(2);
            assertThat(hook.posted().get(0).json().path("status").asText()).isEqualTo("cancelled");
            Job.Webhook state = queue.get(job.id()).webhook();
            assertThat(state.attempts()).isEqualTo(2);
            assertThat(state.error()).isEqualTo("the receiver answered 503");
        }
    }
}
