package dev.pixelsense.jobs;

import dev.pixelsense.error.NotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs of the in-process engine and their idempotency keys; finished jobs are forgotten a
 * result TTL after they ended. Not thread-safe: every method is called under the engine's lock.
 */
final class InProcessStore {
    private final Duration resultTtl;
    private final Map<String, InProcessJob> jobs = new HashMap<>();
    private final Map<String, String> idempotency = new HashMap<>();

    InProcessStore(Duration resultTtl) {
        this.resultTtl = resultTtl;
    }

    /** The job a repeated idempotency key points at, or null. */
    InProcessJob byKey(String key) {
        String id = key == null ? null : idempotency.get(key);
        return id == null ? null : jobs.get(id);
    }

    InProcessJob add(JobRequest request) {
        InProcessJob e = new InProcessJob(Ids.newJobId(), request);
        jobs.put(e.id, e);
        if (request.idempotencyKey() != null) {
            idempotency.put(request.idempotencyKey(), e.id);
        }
        return e;
    }

    /** @throws NotFoundException when there is no such job (or its TTL passed) */
    InProcessJob entry(String id) {
        InProcessJob e = jobs.get(id);
        if (e == null) {
            throw new NotFoundException("No job '" + id + "' (finished jobs are kept for " + resultTtl.toSeconds()
                    + " s)", "id", "job_not_found");
        }
        return e;
    }

    /** The job, or null. */
    InProcessJob find(String id) {
        return jobs.get(id);
    }

    List<InProcessJob> newestFirst(JobState state, int limit) {
        return jobs.values().stream().filter(e -> state == null || e.state.equals(state))
                .sorted(Comparator.comparing((InProcessJob e) -> e.created).reversed()).limit(limit).toList();
    }

    void expire() {
        Instant cutoff = Instant.now().minus(resultTtl);
        List<String> gone = new ArrayList<>();
        jobs.values().removeIf(e -> {
            boolean old = e.finished != null && e.finished.isBefore(cutoff);
            if (old) {
                gone.add(e.id);
            }
            return old;
        });
        if (!gone.isEmpty()) {
            idempotency.values().removeIf(gone::contains);
        }
    }
}
