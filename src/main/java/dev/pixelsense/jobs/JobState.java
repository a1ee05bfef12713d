package dev.pixelsense.jobs;

import dev.pixelsense.error.BadRequestException;
import java.util.List;

/**
 * Where a job is in its life: {@code queued -> running -> succeeded | failed | cancelled}, with
 * {@code running -> queued} again when an attempt fails and a retry is due. The three terminal
 * states are final: once a job is in one, nothing changes it (that is what makes completion
 * idempotent).
 */
public sealed interface JobState {
    Queued QUEUED = new Queued();
    Running RUNNING = new Running();
    Succeeded SUCCEEDED = new Succeeded();
    Failed FAILED = new Failed();
    Cancelled CANCELLED = new Cancelled();

    List<JobState> ALL = List.of(QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED);

    /** The wire name: {@code queued}, {@code running}, {@code succeeded}, {@code failed}, {@code cancelled}. */
    String name();

    default boolean terminal() {
        return !(this instanceof Queued || this instanceof Running);
    }

    /** @throws BadRequestException naming the accepted values */
    static JobState parse(String name) {
        for (JobState s : ALL) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new BadRequestException("Unknown job status '" + name
                + "': expected queued, running, succeeded, failed or cancelled", "status");
    }

    record Queued() implements JobState {
        public String name() {
            return "queued";
        }
    }

    record Running() implements JobState {
        public String name() {
            return "running";
        }
    }

    record Succeeded() implements JobState {
        public String name() {
            return "succeeded";
        }
    }

    /** Failed for good: the last attempt failed (and the job went to the dead letter) or it cannot run here. */
    record Failed() implements JobState {
        public String name() {
            return "failed";
        }
    }

    record Cancelled() implements JobState {
        public String name() {
            return "cancelled";
        }
    }
}
