package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The engine side a {@link Worker} drives. The worker owns the policy (leases renewed on their own
 * thread, retries with backoff, dead-lettering, cancellation); an engine only stores and delivers.
 * Every transition into a terminal state is conditional on the job not being terminal already, so
 * whoever finishes first wins and any later finisher is told so.
 */
sealed interface Broker extends JobQueue permits InProcessJobs, RedisJobs {

    /**
     * One delivery of a job to a consumer: the job id, the engine's handle for it, the lane it came
     * from (Redis: the stream) and, when the engine started it while taking it, the started job.
     */
    record Delivery(String id, String handle, String lane, Job started) {}

    /**
     * Says which models {@code consumer} serves (model ids and aliases); from then on it is
     * delivered jobs naming one of them, and jobs naming no model. Repeated by the worker's heartbeat:
     * a model no consumer announced within a lease counts as served by no live worker.
     */
    void announce(String consumer, Set<String> models);

    /** The consumer stopped: its models no longer count as served by it. */
    void retire(String consumer);

    /**
     * The next job for {@code consumer}: first a job whose lease expired (its worker died), then a
     * new one, high priority first; waits up to {@code wait}. Null when there is none.
     */
    Delivery take(String consumer, Duration wait) throws InterruptedException;

    /** Marks the job running for this attempt; null when it is already terminal (cancelled): skip it. */
    Job start(Delivery delivery, String consumer);

    /** Renews the lease; false when another consumer has taken the job over. */
    boolean renew(Delivery delivery, String consumer);

    void progress(String id, double fraction, String message);

    /** Stores the result; false when the job was already terminal (the result is dropped). Acks. */
    boolean succeed(Delivery delivery, JsonNode result);

    /** Fails for good (and to the dead letter when {@code deadLetter}); false when already terminal. Acks. */
    boolean fail(Delivery delivery, String error, boolean deadLetter);

    /** Queues the job again after {@code delay}, keeping the error; false when already terminal. Acks. */
    boolean retry(Delivery delivery, String error, Duration delay);

    /** Drops a delivery of a job that is already terminal. */
    void ack(Delivery delivery);

    /** Calls {@code listener} with the id of every job cancelled while running, on any worker. */
    JobQueue.Subscription onCancel(Consumer<String> listener);

    /**
     * The id of a job whose webhook POST is due, claimed for {@code claim} (if the caller dies,
     * another dispatcher gets it after that); null when none is due.
     */
    String claimWebhook(Duration claim);

    /** Records a webhook attempt; {@code retryIn} null means no further attempt (delivered or given up). */
    void webhookAttempted(String id, Job.Webhook status, Duration retryIn);

    JobSettings settings();

    /** Jobs sent to the dead letter so far (for tests and metrics). */
    long deadLetterCount();
}
