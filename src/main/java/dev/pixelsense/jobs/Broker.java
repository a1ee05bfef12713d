package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The engine side a {@link Worker} drives. The worker owns the policy (leases renewed on their own
 * thread, retries with backoff, dead-lettering, cancellation); an engine only stores and delivers.
 * Every transition into a terminal state is conditional on the job not being terminal already, so
 * whoever finishes first wins and any later finisher is told so.
 */
sealed interface Broker extends JobQueue permits InProcessJobs, RedisJobs {

    /** One delivery of a job to a consumer: the job id and the engine's handle for it. */
    record Delivery(String id, String handle) {}

    /**
     * The next job for {@code consumer}: first a job whose lease expired (its worker died), then a
     * new one; waits up to {@code wait}. Null when there is none.
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

    JobSettings settings();

    /** Jobs sent to the dead letter so far (for tests and metrics). */
    long deadLetterCount();
}
