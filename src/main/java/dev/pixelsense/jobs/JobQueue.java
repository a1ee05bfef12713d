package dev.pixelsense.jobs;

import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

/**
 * The jobs contract: submit, look at, list and cancel jobs, and follow one's events. Two engines
 * implement it: {@link #inProcess} (the default; jobs live in this process's memory) and
 * {@link #redis} (Redis Streams; jobs survive any worker, run by {@code pixelsense worker}
 * processes anywhere). Jobs are run by a {@link Worker} attached to the queue.
 *
 * <p>Thread-safe; every method may block briefly (a Redis round trip) and is meant to be called
 * from virtual threads. {@link #close()} is idempotent and does not stop workers (close them first).
 */
public sealed interface JobQueue extends AutoCloseable permits Broker {

    static JobQueue inProcess(JobSettings settings) {
        return new InProcessJobs(settings);
    }

    /**
     * Connects to {@code redis://[:password@]host[:port][/db]} (Redis 6.2 or newer: XAUTOCLAIM);
     * fails fast if Redis cannot be reached.
     */
    static JobQueue redis(URI uri, JobSettings settings) {
        return new RedisJobs(uri, settings);
    }

    /**
     * Queues a job, or returns the existing one when its idempotency key was seen within the result TTL.
     *
     * @throws dev.pixelsense.error.BadRequestException for an unknown type (where the queue knows them)
     */
    Job submit(JobRequest request);

    /**
     * Queues many jobs at once (the Redis engine sends them in one round trip); same rules as
     * {@link #submit}, in order.
     */
    default List<Job> submitAll(List<JobRequest> requests) {
        return requests.stream().map(this::submit).toList();
    }

    /** @throws dev.pixelsense.error.NotFoundException when there is no such job (or its TTL passed) */
    Job get(String id);

    /** Jobs in a state (all states when null), newest first, at most {@code limit}. */
    List<Job> list(JobState state, int limit);

    /**
     * Cancels a queued or running job (a running one is interrupted on its worker). A finished job
     * is returned unchanged.
     */
    Job cancel(String id);

    /**
     * Follows a job's events until the subscription is closed. Events are delivered on an engine
     * thread, in order for one job; the listener must not block.
     */
    Subscription subscribe(String id, Consumer<JobEvent> listener);

    /** Which engine this is, for logs: {@code in-process} or {@code redis host:port}. */
    String describe();

    @Override
    void close();

    /** Stops a subscription; idempotent. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
