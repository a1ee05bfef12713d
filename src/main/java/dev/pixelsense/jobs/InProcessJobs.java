package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The default engine: jobs in this process's memory, lost when it exits. The same lease and routing
 * rules as Redis (a delivery whose lease expires is handed to the next taker; a job naming a model
 * goes only to a consumer that announced it), so the contract suite runs here too; delivery lives in
 * {@link InProcessDispatch}. One lock guards all state; listeners are called after it is released,
 * on the thread that caused the event (so in order for one job).
 */
final class InProcessJobs implements Broker {
    private final JobSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final InProcessStore jobs;
    private final InProcessDispatch dispatch;
    private final JobListeners listeners = new JobListeners();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pixelsense-jobs-timer");
        t.setDaemon(true);
        return t;
    });
    private long deadLetters;
    private volatile boolean closed;

    InProcessJobs(JobSettings settings) {
        this.settings = settings;
        this.jobs = new InProcessStore(settings.resultTtl());
        this.dispatch = new InProcessDispatch(settings.lease().toNanos());
        timer.scheduleWithFixedDelay(() -> locked(jobs::expire), 1, 1, TimeUnit.SECONDS);
    }

    /** Runs {@code work} under the lock and returns its value. */
    private <T> T locked(java.util.function.Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private void locked(Runnable work) {
        locked(() -> {
            work.run();
            return null;
        });
    }

    @Override
    public Job submit(JobRequest request) {
        return locked(() -> {
            InProcessJob seen = jobs.byKey(request.idempotencyKey());
            if (seen != null) {
                return seen.snapshot();
            }
            InProcessJob e = jobs.add(request);
            enqueue(e);
            return e.snapshot();
        });
    }

    private void enqueue(InProcessJob e) {
        dispatch.enqueue(e);
        available.signalAll();
    }

    @Override
    public Job get(String id) {
        return locked(() -> dispatch.view(jobs.entry(id)));
    }

    @Override
    public List<Job> list(JobState state, int limit) {
        return locked(() -> jobs.newestFirst(state, limit).stream().map(dispatch::view).toList());
    }

    @Override
    public Job cancel(String id) {
        Job job;
        boolean wasRunning;
        lock.lock();
        try {
            InProcessJob e = jobs.entry(id);
            if (e.state.terminal()) {
                return e.snapshot();
            }
            wasRunning = e.state instanceof JobState.Running;
            finish(e, JobState.CANCELLED);
            dispatch.unqueue(id);
            job = e.snapshot();
        } finally {
            lock.unlock();
        }
        if (wasRunning) {
            listeners.cancelled(id);
        }
        listeners.emit(JobEvent.state(id, JobState.CANCELLED));
        return job;
    }

    /** Under the lock: a terminal state, and the webhook due now when there is one. */
    private void finish(InProcessJob e, JobState state) {
        e.finish(state);
        if (e.webhook != null) {
            dispatch.webhookDue(e.id, System.currentTimeMillis());
        }
    }

    @Override
    public Subscription subscribe(String id, Consumer<JobEvent> listener) {
        return listeners.subscribe(id, listener);
    }

    @Override
    public void announce(String consumer, Set<String> models) {
        locked(() -> {
            dispatch.announce(consumer, models);
            available.signalAll();
        });
    }

    @Override
    public void retire(String consumer) {
        locked(() -> dispatch.retire(consumer));
    }

    @Override
    public Delivery take(String consumer, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (!closed) {
                long now = System.nanoTime();
                Delivery d = dispatch.next(consumer, now);
                if (d != null) {
                    return d;
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

    @Override
    public Job start(Delivery delivery, String consumer) {
        Job job = locked(() -> {
            InProcessJob e = jobs.find(delivery.id());
            if (e == null || e.state.terminal() || !dispatch.leased(delivery.handle())) {
                dispatch.release(delivery.handle());
                return null;
            }
            e.state = JobState.RUNNING;
            e.attempts++;
            e.worker = consumer;
            e.started = Instant.now();
            return e.snapshot();
        });
        if (job != null) {
            listeners.emit(JobEvent.state(job.id(), JobState.RUNNING));
        }
        return job;
    }

    @Override
    public boolean renew(Delivery delivery, String consumer) {
        return locked(() -> dispatch.renew(delivery.handle(), consumer));
    }

    @Override
    public void progress(String id, double fraction, String message) {
        boolean running = locked(() -> {
            InProcessJob e = jobs.find(id);
            if (e == null || e.state.terminal()) {
                return false;
            }
            e.progress = fraction;
            e.message = message;
            return true;
        });
        if (running) {
            listeners.emit(JobEvent.progress(id, fraction, message));
        }
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
        boolean won = locked(() -> {
            dispatch.release(delivery.handle());
            InProcessJob e = jobs.find(delivery.id());
            if (e == null || e.state.terminal()) {
                return false;
            }
            update.accept(e);
            finish(e, state);
            return true;
        });
        if (won) {
            listeners.emit(JobEvent.state(delivery.id(), state));
        }
        return won;
    }

    @Override
    public boolean retry(Delivery delivery, String error, Duration delay) {
        boolean queued = locked(() -> {
            dispatch.release(delivery.handle());
            InProcessJob e = jobs.find(delivery.id());
            if (e == null || e.state.terminal()) {
                return false;
            }
            e.state = JobState.QUEUED;
            e.error = error;
            return true;
        });
        if (!queued) {
            return false;
        }
        listeners.emit(JobEvent.state(delivery.id(), JobState.QUEUED));
        timer.schedule(() -> locked(() -> {
            InProcessJob e = jobs.find(delivery.id());
            if (e != null && e.state instanceof JobState.Queued) {
                enqueue(e);
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public void ack(Delivery delivery) {
        locked(() -> dispatch.release(delivery.handle()));
    }

    @Override
    public Subscription onCancel(Consumer<String> listener) {
        return listeners.onCancel(listener);
    }

    @Override
    public String claimWebhook(Duration claim) {
        return locked(() -> dispatch.claimWebhook(System.currentTimeMillis(), claim.toMillis()));
    }

    @Override
    public void webhookAttempted(String id, Job.Webhook status, Duration retryIn) {
        locked(() -> dispatch.webhookAttempted(jobs.find(id), id, status, retryIn));
    }

    @Override
    public JobSettings settings() {
        return settings;
    }

    @Override
    public long deadLetterCount() {
        return locked(() -> deadLetters);
    }

    @Override
    public String describe() {
        return "in-process";
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        locked(() -> available.signalAll());
    }
}
