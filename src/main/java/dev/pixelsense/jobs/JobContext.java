package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;

/** What a {@link JobHandler} sees of its job. Thread-safe: progress may be reported from any thread. */
public interface JobContext {
    Job job();

    default JsonNode input() {
        return job().input();
    }

    /** 1 for the first attempt. */
    int attempt();

    /** Reports progress (0..1) to subscribers and in the job; cheap, may be called often. */
    void progress(double fraction, String message);

    boolean cancelled();

    /** Runs {@code action} once when the job is cancelled (at once if it already is). */
    void onCancel(Runnable action);
}
