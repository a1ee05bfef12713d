package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.error.NotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The default engine: jobs in this process's memory, lost when it exits. The same lease rules as
 * Redis (a delivery whose lease expires is handed to the next taker), so the contract suite can
 * kill a worker here too. One lock guards all state; listeners are called after it is released,
 * on the thread that caused the event (so in order for one job).
 */
final class InProcessJobs implements Broker {
    private final JobSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final Map<String, InProcessJob> jobs = new HashMap<>();
    private final Map<String, String> idempotency = new HashMap<>();
    private final PriorityQueue<Ready> ready = new PriorityQueue<>(Comparator.comparingInt((Ready r) -> -r.priority)
            .thenComparingLong(r -> r.seq));
    private final Map<String, Lease> leases = new HashMap<>();
    private final JobListeners listeners = new JobListeners();
    private final AtomicLong seq = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pixelsense-jobs-timer");
        t.setDaemon(true);
        return t;
    });
    private long deadLetters;
    private volatile boolean closed;

    InProcessJobs(JobSettings settings) {
        this.settings = settings;
        timer.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    private record Ready(String id, int priority, long seq) {}

    private record Lease(String id, String consumer, long deadline) {}

    @Override
    public Job submit(JobRequest request) {
        lock.lock();
        try {
            String key = request.idempotencyKey();
            if (key != null && idempotency.containsKey(key) && jobs.containsKey(idempotency.get(key))) {
                return jobs.get(idempotency.get(key)).snapshot();
            }
            InProcessJob e = new InProcessJob(Ids.newJobId(), request);
            jobs.put(e.id, e);
            if (key != null) {
                idempotency.put(key, e.id);
            }
            enqueue(e);
            return e.snapshot();
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(InProcessJob e) {
        ready.add(new Ready(e.id, e.request.priority(), seq.incrementAndGet()));
        available.signal();
    }

    @Override
    public Job get(String id) {
        lock.lock();
        try {
            return entry(id).snapshot();
        } finally {
            lock.unlock();
        }
    }

    private InProcessJob entry(String id) {
        InProcessJob e = jobs.get(id);
        if (e == null) {
            throw new NotFoundException("No job '" + id + "' (finished jobs are kept for "
                    + settings.resultTtl().toSeconds() + " s)", "id", "job_not_found");
        }
        return e;
    }

    @Override
    public List<Job> list(JobState state, int limit) {
        lock.lock();
        try {
            return jobs.values().stream().filter(e -> state == null || e.state.equals(state))
                    .sorted(Comparator.comparing((InProcessJob e) -> e.created).reversed()).limit(limit)
                    .map(InProcessJob::snapshot).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Job cancel(String id) {
        Job job;
        boolean wasRunning;
        lock.lock();
        try {
            InProcessJob e = entry(id);
            if (e.state.terminal()) {
                return e.snapshot();
            }
            wasRunning = e.state instanceof JobState.Running;
            finish(e, JobState.CANCELLED);
            ready.removeIf(r -> r.id.equals(id));
            job = e.snapshot();
        } finally {
            lock.unlock();
        }
        if (wasRunning) {
            listeners.cancelled(id);
        }
        emit(JobEvent.state(id, JobState.CANCELLED));
        return job;
    }

    private void finish(InProcessJob e, JobState state) {
        e.state = state;
        e.finished = Instant.now();
        if (state instanceof JobState.Succeeded) {
            e.progress = 1;
        }
    }

    @Override
    public Subscription subscribe(String id, Consumer<JobEvent> listener) {
        return listeners.subscribe(id, listener);
    }

    private void emit(JobEvent event) {
        listeners.emit(event);
    }

    @Override
    public Delivery take(String consumer, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (!closed) {
                long now = System.nanoTime();
                for (var it = leases.entrySet().iterator(); it.hasNext(); ) {
                    var lease = it.next();
                    if (now - lease.getValue().deadline > 0) {   // its worker stopped renewing: reclaim
                        it.remove();
                        return lease(lease.getValue().id, consumer);
                    }
                }
                Ready next = ready.poll();
                if (next != null) {
                    return lease(next.id, consumer);
                }
                long left = deadline - now;
                if (left <= 0) {
                    return null;
                }
                available.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private Delivery lease(String id, String consumer) {
        Delivery d = new Delivery(id, id + "#" + seq.incrementAndGet());
        leases.put(d.handle(), new Lease(id, consumer, System.nanoTime() + settings.lease().toNanos()));
        return d;
    }

    @Override
    public Job start(Delivery delivery, String consumer) {
        Job job;
        lock.lock();
        try {
            InProcessJob e = jobs.get(delivery.id());
            if (e == null || e.state.terminal() || !leases.containsKey(delivery.handle())) {
                leases.remove(delivery.handle());
                return null;
            }
            e.state = JobState.RUNNING;
            e.attempts++;
            e.worker = consumer;
            e.started = Instant.now();
            job = e.snapshot();
        } finally {
            lock.unlock();
        }
        emit(JobEvent.state(job.id(), JobState.RUNNING));
        return job;
    }

    @Override
    public boolean renew(Delivery delivery, String consumer) {
        lock.lock();
        try {
            Lease lease = leases.get(delivery.handle());
            if (lease == null || !lease.consumer.equals(consumer)) {
                return false;
            }
            leases.put(delivery.handle(), new Lease(lease.id, consumer, System.nanoTime() + settings.lease().toNanos()));
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void progress(String id, double fraction, String message) {
        lock.lock();
        try {
            InProcessJob e = jobs.get(id);
            if (e == null || e.state.terminal()) {
                return;
            }
            e.progress = fraction;
            e.message = message;
        } finally {
            lock.unlock();
        }
        emit(JobEvent.progress(id, fraction, message));
    }

    @Override
    public boolean succeed(Delivery delivery, JsonNode result) {
        return end(delivery, JobState.SUCCEEDED, e -> e.result = result);
    }

    @Override
    public boolean fail(Delivery delivery, String error, boolean deadLetter) {
        return end(delivery, JobState.FAILED, e -> {
            e.error = error;
            deadLetters += deadLetter ? 1 : 0;
        });
    }

    private boolean end(Delivery delivery, JobState state, Consumer<InProcessJob> update) {
        lock.lock();
        try {
            leases.remove(delivery.handle());
            InProcessJob e = jobs.get(delivery.id());
            if (e == null || e.state.terminal()) {
                return false;
            }
            update.accept(e);
            finish(e, state);
        } finally {
            lock.unlock();
        }
        emit(JobEvent.state(delivery.id(), state));
        return true;
    }

    @Override
    public boolean retry(Delivery delivery, String error, Duration delay) {
        lock.lock();
        try {
            leases.remove(delivery.handle());
            InProcessJob e = jobs.get(delivery.id());
            if (e == null || e.state.terminal()) {
                return false;
            }
            e.state = JobState.QUEUED;
            e.error = error;
        } finally {
            lock.unlock();
        }
        emit(JobEvent.state(delivery.id(), JobState.QUEUED));
        timer.schedule(() -> {
            lock.lock();
            try {
                InProcessJob e = jobs.get(delivery.id());
                if (e != null && e.state instanceof JobState.Queued) {
                    enqueue(e);
                }
            } finally {
                lock.unlock();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public void ack(Delivery delivery) {
        lock.lock();
        try {
            leases.remove(delivery.handle());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Subscription onCancel(Consumer<String> listener) {
        return listeners.onCancel(listener);
    }

    @Override
    public JobSettings settings() {
        return settings;
    }

    @Override
    public long deadLetterCount() {
        lock.lock();
        try {
            return deadLetters;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets finished jobs past the result TTL (and their idempotency keys). */
    private void expire() {
        Instant cutoff = Instant.now().minus(settings.resultTtl());
        lock.lock();
        try {
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
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String describe() {
        return "in-process";
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        lock.lock();
        try {
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
