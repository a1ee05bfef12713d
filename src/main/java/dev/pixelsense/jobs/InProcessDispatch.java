package dev.pixelsense.jobs;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The delivery side of the in-process engine: the ready set (priority, then submission order),
 * leases, which consumer serves which models, and due webhook deliveries. Not thread-safe: every
 * method is called under the engine's lock.
 */
final class InProcessDispatch {
    private final long leaseNanos;
    private final TreeSet<Ready> ready = new TreeSet<>(Comparator.comparingInt((Ready r) -> -r.priority)
            .thenComparingLong(r -> r.seq));
    private final Map<String, Lease> leases = new HashMap<>();
    private final Map<String, Set<String>> models = new ConcurrentHashMap<>();
    private final Map<String, Long> webhooksDue = new HashMap<>();
    private long seq;

    InProcessDispatch(long leaseNanos) {
        this.leaseNanos = leaseNanos;
    }

    private record Ready(String id, String model, int priority, long seq) {}

    private record Lease(String id, String consumer, long deadline) {}

    void enqueue(InProcessJob e) {
        ready.add(new Ready(e.id, e.request.model(), e.request.priority(), ++seq));
    }

    void unqueue(String id) {
        ready.removeIf(r -> r.id.equals(id));
    }

    /** A delivery whose lease expired, else the first ready job the consumer may run; null when none. */
    Broker.Delivery next(String consumer, long nowNanos) {
        for (var it = leases.entrySet().iterator(); it.hasNext(); ) {
            Lease lease = it.next().getValue();
            if (nowNanos - lease.deadline > 0) {   // its worker stopped renewing: reclaim
                it.remove();
                return lease(lease.id, consumer);
            }
        }
        Set<String> served = models.getOrDefault(consumer, Set.of());
        for (var it = ready.iterator(); it.hasNext(); ) {
            Ready r = it.next();
            if (r.model == null || served.contains(r.model)) {
                it.remove();
                return lease(r.id, consumer);
            }
        }
        return null;
    }

    private Broker.Delivery lease(String id, String consumer) {
        Broker.Delivery d = new Broker.Delivery(id, id + "#" + ++seq, null, null);
        leases.put(d.handle(), new Lease(id, consumer, System.nanoTime() + leaseNanos));
        return d;
    }

    boolean leased(String handle) {
        return leases.containsKey(handle);
    }

    boolean renew(String handle, String consumer) {
        Lease lease = leases.get(handle);
        if (lease == null || !lease.consumer.equals(consumer)) {
            return false;
        }
        leases.put(handle, new Lease(lease.id, consumer, System.nanoTime() + leaseNanos));
        return true;
    }

    void release(String handle) {
        leases.remove(handle);
    }

    void announce(String consumer, Set<String> served) {
        models.put(consumer, Set.copyOf(served));
    }

    void retire(String consumer) {
        models.remove(consumer);
    }

    boolean served(String model) {
        return models.values().stream().anyMatch(m -> m.contains(model));
    }

    /** The job as a snapshot; a queued one naming a model no consumer serves says so. */
    Job view(InProcessJob e) {
        Job job = e.snapshot();
        return job.state() instanceof JobState.Queued && job.model() != null && !served(job.model())
                ? job.withMessage(Worker.unservedMessage(job.model())) : job;
    }

    void webhookDue(String id, long atMillis) {
        webhooksDue.put(id, atMillis);
    }

    /** Records a webhook attempt on the job (when it is still there) and schedules the next or forgets it. */
    void webhookAttempted(InProcessJob job, String id, Job.Webhook status, java.time.Duration retryIn) {
        if (job != null) {
            job.webhook = status;
        }
        if (retryIn == null || job == null) {
            webhooksDue.remove(id);
        } else {
            webhooksDue.put(id, System.currentTimeMillis() + retryIn.toMillis());
        }
    }

    /** A due webhook's job id, pushed {@code claimMillis} ahead; null when none is due. */
    String claimWebhook(long nowMillis, long claimMillis) {
        for (var e : webhooksDue.entrySet()) {
            if (e.getValue() <= nowMillis) {
                e.setValue(nowMillis + claimMillis);
                return e.getKey();
            }
        }
        return null;
    }
}
