package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A snapshot of one job. {@code progress} is 0..1 with an optional message (for a queued job that
 * names a model no live worker serves, the message says so); {@code result} is set only when
 * succeeded, {@code error} when failed (or the last failed attempt's error while a retry is queued);
 * {@code attempts} counts the attempts started so far, including ones whose worker died.
 * {@code startedAt} and {@code finishedAt} are null until then; {@code webhook} is null when the job
 * has none.
 */
public record Job(String id, String type, JobState state, double progress, String message, JsonNode input,
                  String model, int priority, JsonNode result, String error, int attempts, String worker,
                  Instant createdAt, Instant startedAt, Instant finishedAt, Webhook webhook) {

    /**
     * Where the job's webhook delivery stands: {@code pending} (the job has not ended, or the first
     * POST is due), {@code retrying} (a POST failed; another is due), {@code delivered} or
     * {@code failed} (every attempt failed). {@code error} is the last failure.
     */
    public record Webhook(String url, String status, int attempts, String error, Instant deliveredAt) {
        public static Webhook pending(String url) {
            return new Webhook(url, "pending", 0, null, null);
        }
    }

    Job withMessage(String value) {
        return new Job(id, type, state, progress, value, input, model, priority, result, error, attempts, worker,
                createdAt, startedAt, finishedAt, webhook);
    }
}
