package dev.pixelsense.agent;

import dev.pixelsense.model.CallContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One agent run as others see it: its status, its events so far, and a way to stop it. Thread-safe:
 * the run's own thread records events, any thread may read, follow or cancel.
 */
public final class AgentRun {
    /** How a run ends (or that it has not yet). */
    public enum Status {
        RUNNING, SUCCEEDED, GAVE_UP, STOPPED, STUCK, LIMIT_REACHED, FAILED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String id;
    private final AgentRequest request;
    private final Path traceDir;
    private final Instant started = Instant.now();
    private final long startNanos = System.nanoTime();
    private final List<AgentEvent> events = new ArrayList<>();
    private final List<Consumer<AgentEvent>> followers = new CopyOnWriteArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    final CallContext call = new CallContext();
    private volatile Status status = Status.RUNNING;
    private volatile String message;
    private volatile String stopReason;

    AgentRun(String id, AgentRequest request, Path traceDir) {
        this.id = id;
        this.request = request;
        this.traceDir = traceDir;
    }

    public String id() {
        return id;
    }

    public AgentRequest request() {
        return request;
    }

    public Status status() {
        return status;
    }

    /** The goal_reached summary, the give_up reason, or why the run stopped; null while running. */
    public String message() {
        return message;
    }

    public Path traceDir() {
        return traceDir;
    }

    public Path report() {
        return traceDir.resolve("report.html");
    }

    public synchronized List<AgentEvent> events() {
        return List.copyOf(events);
    }

    /**
     * Stops the run: the model call in flight is cancelled and no further action starts. The run
     * ends with status {@code stopped} once its current action finished.
     */
    public void cancel(String why) {
        if (stopReason == null) {
            stopReason = why;
        }
        call.cancel();
    }

    /** Why {@link #cancel} was called, or null. */
    String stopReason() {
        return stopReason;
    }

    /** Waits for the end of the run; returns whether it ended within {@code timeout}. */
    public boolean await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Calls {@code follower} with every event so far, then each new one as it happens (on the run's
     * thread: do not block). Returns a handle that stops following.
     */
    public synchronized AutoCloseable follow(Consumer<AgentEvent> follower) {
        events.forEach(follower);
        followers.add(follower);
        return () -> followers.remove(follower);
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    AgentEvent emit(String type, int step, Map<String, Object> data) {
        return publish(new AgentEvent(type, step, elapsedMillis(), data));
    }

    /** Records and delivers an event; under the lock, so a new follower gets each event exactly once. */
    private synchronized AgentEvent publish(AgentEvent event) {
        events.add(event);
        for (Consumer<AgentEvent> f : followers) {
            try {
                f.accept(event);
            } catch (RuntimeException e) {
                followers.remove(f); // a follower that fails (a closed SSE stream) stops following
            }
        }
        return event;
    }

    /** Ends the run: the status is final before anyone sees the {@code end} event. */
    void finish(Status end, String why, AgentEvent endEvent) {
        this.message = why;
        this.status = end;
        publish(endEvent);
        done.countDown();
    }

    /** The run as JSON for the API. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("object", "agent.run");
        m.put("goal", request.goal());
        m.put("status", status.wire());
        m.put("message", message);
        m.put("dry_run", request.dryRunOn());
        m.put("started_at", started.getEpochSecond());
        synchronized (this) {
            m.put("steps", events.stream().mapToInt(AgentEvent::step).max().orElse(0));
            m.put("actions", events.stream().filter(e -> e.type().equals("action")).count());
        }
        m.put("trace_dir", traceDir.toString());
        return m;
    }
}
