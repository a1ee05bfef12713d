package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The extension point: one implementation per job type. {@link #run} is called on a worker thread
 * (a platform thread of the worker's pool, one per concurrency slot); it may block and may be
 * CPU-bound, since the lease is renewed on another thread. It may run more than once for one job
 * (a retry, or a reclaim after a worker died), so it must be safe to repeat; only one of the
 * results is kept.
 *
 * <p>Cancellation: the job's {@link JobContext#cancelled()} turns true, {@link JobContext#onCancel}
 * actions run, and the running thread is interrupted. A handler that returns after that has its
 * result discarded.
 */
public interface JobHandler {
    /** The job type it runs, e.g. {@code chat}. */
    String type();

    /**
     * Checks a job of this type when it is submitted (on the server, before it is queued) and returns
     * it as it should be queued, e.g. with the model it will run on filled in, so that routing sees it.
     *
     * @throws dev.pixelsense.error.BadRequestException for input that can never work (the client gets a 400)
     */
    default JobRequest prepare(JobRequest request) {
        return request;
    }

    /**
     * Runs one attempt.
     *
     * @return the result (any JSON)
     * @throws dev.pixelsense.error.BadRequestException for input that can never work: no retry
     * @throws Exception anything else fails this attempt; it is retried with backoff up to the maximum
     */
    JsonNode run(JobContext context) throws Exception;
}
