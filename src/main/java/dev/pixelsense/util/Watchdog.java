package dev.pixelsense.util;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A resettable deadline for a blocking read: {@link #reset(Duration)} is one volatile write, so it
 * can be called per chunk; the timer task re-arms itself lazily and fires {@code onTimeout} once,
 * on the timer thread, when the deadline passes. Used to abort upstream reads that stall.
 */
public final class Watchdog implements AutoCloseable {
    private final ScheduledExecutorService timers;
    private final Runnable onTimeout;
    private volatile long deadlineNanos;
    private volatile String phase;
    private volatile boolean closed;
    private volatile boolean fired;
    /** When the scheduled check runs; a reset to an earlier deadline schedules a sooner one. */
    private volatile long checkAtNanos;
    private ScheduledFuture<?> task;

    public Watchdog(ScheduledExecutorService timers, Duration first, String phase, Runnable onTimeout) {
        this.timers = timers;
        this.onTimeout = onTimeout;
        this.phase = phase;
        this.deadlineNanos = System.nanoTime() + first.toNanos();
        schedule(first.toNanos());
    }

    /**
     * Moves the deadline to {@code timeout} from now and names what is being waited for. Later
     * deadlines (the per-chunk case) cost one volatile write; an earlier one than the pending check
     * (an idle timeout shorter than the first-token one) reschedules the check, once.
     */
    public void reset(Duration timeout, String newPhase) {
        this.phase = newPhase;
        long deadline = System.nanoTime() + timeout.toNanos();
        this.deadlineNanos = deadline;
        if (deadline < checkAtNanos) {
            reschedule(timeout.toNanos());
        }
    }

    private synchronized void reschedule(long delayNanos) {
        if (task != null) {
            task.cancel(false);
        }
        schedule(delayNanos);
    }

    public boolean fired() {
        return fired;
    }

    /** What was awaited when the deadline passed (e.g. "first token"). */
    public String phase() {
        return phase;
    }

    private synchronized void schedule(long delayNanos) {
        if (!closed) {
            long delay = Math.max(delayNanos, 1_000_000);
            checkAtNanos = System.nanoTime() + delay;
            task = timers.schedule(this::check, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        if (closed) {
            return;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        fired = true;
        onTimeout.run();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (task != null) {
            task.cancel(false);
        }
    }
}
