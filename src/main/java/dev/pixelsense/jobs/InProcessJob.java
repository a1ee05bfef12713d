package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One job of the in-process engine: mutable, guarded by the engine's lock. */
final class InProcessJob {
    final String id;
    final JobRequest request;
    final Instant created = Instant.now();
    JobState state = JobState.QUEUED;
    double progress;
    String message;
    JsonNode result;
    String error;
    int attempts;
    String worker;
    Instant started;
    Instant finished;
    Job.Webhook webhook;

    InProcessJob(String id, JobRequest request) {
        this.id = id;
        this.request = request;
        this.webhook = request.webhook() == null ? null : Job.Webhook.pending(request.webhook());
    }

    /** Enters a terminal state. */
    void finish(JobState terminal) {
        state = terminal;
        finished = Instant.now();
        if (terminal instanceof JobState.Succeeded) {
            progress = 1;
        }
    }

    Job snapshot() {
        return new Job(id, request.type(), state, progress, message, request.input(), request.model(),
                request.priority(), result, error, attempts, worker, created, started, finished, webhook);
    }
}
