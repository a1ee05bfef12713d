package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.error.BadRequestException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs from a queue: the policy shared by both engines.
 *
 * <p>Threading contract: {@code concurrency} platform threads each take one job at a time and run
 * its handler (handlers may block or burn CPU). Leases are renewed by one separate heartbeat thread
 * every third of the lease, so a handler that starves its own thread never loses its job to a
 * reclaim. A failed attempt is retried after {@code backoff * 2^(attempt-1)}; after
 * {@code maxAttempts} (or at once for a {@link BadRequestException}) the job fails and goes to the
 * dead letter. A job whose worker died is reclaimed by another once its lease expires; if both
 * finish, the first result is kept and the other dropped. Cancellation interrupts the handler's
 * thread.
 *
 * <p>{@link #close()} stops taking jobs and waits up to the grace period for running ones; jobs
 * still running then are interrupted and left unacknowledged, so another worker reclaims them.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final Broker broker;
    private final Map<String, JobHandler> handlers;
    private final String consumer;
    private final Set<String> models;
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService heartbeat;
    private final Map<String, Attempt> running = new ConcurrentHashMap<>();
    /** Cancels that came before their job was registered as running here (id -> when), kept a minute. */
    private final Map<String, Long> earlyCancels = new ConcurrentHashMap<>();
    private final JobQueue.Subscription cancels;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile boolean killed;

    private Worker(Broker broker, List<JobHandler> handlers, int concurrency, Set<String> models, String consumer) {
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("worker concurrency must be 1 to 1024 (got " + concurrency + ")");
        }
        this.broker = broker;
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(JobHandler::type, Function.identity()));
        this.consumer = consumer;
        this.models = Set.copyOf(models);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pixelsense-heartbeat-" + consumer);
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
        this.cancels = broker.onCancel(this::cancelled);
        broker.announce(consumer, this.models);
        long every = Math.max(100, broker.settings().lease().toMillis() / 3);
        heartbeat.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
        for (int i = 0; i < concurrency; i++) {
            Thread t = Thread.ofPlatform().name("pixelsense-worker-" + i).daemon(true).unstarted(this::loop);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /**
     * Starts {@code concurrency} threads taking jobs from {@code queue} that name no model; the types
     * are the handlers'.
     */
    public static Worker start(JobQueue queue, List<JobHandler> handlers, int concurrency) {
        return start(queue, handlers, concurrency, Set.of());
    }

    /**
     * As {@link #start(JobQueue, List, int)}, also taking jobs that name one of {@code models}
     * (announced to the queue now and on every heartbeat; jobs naming other models are left for
     * workers that serve them).
     */
    public static Worker start(JobQueue queue, List<JobHandler> handlers, int concurrency, Set<String> models) {
        return new Worker((Broker) queue, handlers, concurrency, models, Ids.consumerName());
    }

    /** What a queued job shows while no live worker serves its model. */
    static String unservedMessage(String model) {
        return "waiting: no live worker serves model '" + model + "'";
    }

    private void announce() {
        try {
            broker.announce(consumer, models);
        } catch (RuntimeException e) {
            log.warn("worker {}: cannot announce its models: {}", consumer, e.getMessage());
        }
    }

    void progress(String id, double fraction, String message) {
        if (!killed) {
            broker.progress(id, fraction, message);
        }
    }

    /** This worker's consumer name (host-pid-random), as jobs' {@code worker} field shows it. */
    public String name() {
        return consumer;
    }

    private void loop() {
        while (!stopping) {
            try {
                Broker.Delivery d = broker.take(consumer, Duration.ofSeconds(1));
                if (d != null && !stopping) {
                    run(d);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                log.warn("worker {}: cannot take a job: {}", consumer, e.getMessage());
                sleepQuietly(1000);
            }
        }
    }

    private void run(Broker.Delivery d) {
        Job job = broker.start(d, consumer);
        if (job == null) {
            broker.ack(d);   // cancelled while queued, or finished by someone else
            return;
        }
        JobHandler handler = handlers.get(job.type());
        if (handler == null) {
            broker.fail(d, "No handler for job type '" + job.type() + "' on worker " + consumer
                    + " (known: " + handlers.keySet() + ")", true);
            return;
        }
        Attempt attempt = new Attempt(job, d, Thread.currentThread(), this);
        running.put(job.id(), attempt);
        if (earlyCancels.remove(job.id()) != null) {
            attempt.cancel();   // cancelled between start() and now
        }
        JsonNode result = null;
        Throwable failure = null;
        try {
            result = handler.run(attempt);
        } catch (Throwable t) {
            failure = t;
        } finally {
            running.remove(job.id());
            attempt.finished();
        }
        if (killed) {
            return;   // a killed worker reports nothing: its lease runs out and another takes the job
        }
        if (attempt.cancelled()) {
            broker.ack(d);
        } else if (failure == null) {
            if (!broker.succeed(d, result)) {
                log.info("job {}: result from {} dropped, the job was already finished", job.id(), consumer);
            }
        } else {
            failed(d, job, failure);
        }
    }

    private void cancelled(String id) {
        Attempt a = running.get(id);
        if (a != null) {
            a.cancel();
            return;
        }
        long now = System.nanoTime();
        earlyCancels.values().removeIf(t -> now - t > TimeUnit.MINUTES.toNanos(1));
        earlyCancels.put(id, now);
        a = running.get(id);   // it may have been registered meanwhile
        if (a != null && earlyCancels.remove(id) != null) {
            a.cancel();
        }
    }

    private void failed(Broker.Delivery d, Job job, Throwable failure) {
        String error = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        boolean permanent = failure instanceof BadRequestException;
        if (permanent || job.attempts() >= broker.settings().maxAttempts()) {
            log.warn("job {} ({}) failed for good after {} attempt(s): {}", job.id(), job.type(), job.attempts(), error);
            broker.fail(d, error, true);
        } else {
            Duration delay = broker.settings().backoffAfter(job.attempts());
            log.info("job {} ({}) attempt {} failed, retrying in {} ms: {}", job.id(), job.type(), job.attempts(),
                    delay.toMillis(), error);
            broker.retry(d, error, delay);
        }
    }

    /**
     * The heartbeat, every third of a lease: announce this worker's models and renew the lease of
     * every running job (one periodic task rather than one per job: short jobs cost no scheduling).
     */
    private void beat() {
        announce();
        for (Attempt a : running.values()) {
            renew(a.delivery(), a);
        }
    }

    private void renew(Broker.Delivery d, Attempt attempt) {
        if (killed || attempt.cancelled()) {
            return;
        }
        try {
            if (!broker.renew(d, consumer) && running.get(d.id()) == attempt) {   // not just finished: lost
                log.warn("job {}: lease lost to another worker; cancelling it here", d.id());
                attempt.cancel();
            }
        } catch (RuntimeException e) {
            log.warn("job {}: lease renewal failed: {}", d.id(), e.getMessage());
        }
    }

    /** For tests: stop dead, as if the process were killed (no renewals, no acks, nothing reported). */
    void kill() {
        killed = true;
        stopping = true;
        heartbeat.shutdownNow();
        cancels.close();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (Thread t : threads) {
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!running.isEmpty()) {
            log.warn("worker {}: {} job(s) still running after {} s; handing them back", consumer, running.size(),
                    GRACE.toSeconds());
            killed = true;
            running.values().forEach(Attempt::cancel);
        }
        heartbeat.shutdownNow();
        cancels.close();
        try {
            broker.retire(consumer);
        } catch (RuntimeException e) {
            log.debug("worker {}: retire failed: {}", consumer, e.getMessage());
        }
    }

    /** Sleeps; an interrupt ends the sleep and stays set. */
    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
