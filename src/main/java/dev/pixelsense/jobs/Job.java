package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A snapshot of one job. {@code progress} is 0..1 with an optional message; {@code result} is set
 * only when succeeded, {@code error} when failed (or the last failed attempt's error while a retry
 * is queued); {@code attempts} counts the attempts started so far, including ones whose worker died.
 * {@code startedAt} and {@code finishedAt} are null until then.
 */
public record Job(String id, String type, JobState state, double progress, String message, JsonNode input,
                  String model, int priority, JsonNode result, String error, int attempts, String worker,
                  Instant createdAt, Instant startedAt, Instant finishedAt) {
}
