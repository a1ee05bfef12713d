package dev.pixelsense.jobs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One attempt's context. {@link #cancel()} sets the flag, interrupts the handler's thread (only while
 * the handler still runs) and runs the onCancel actions once; thread-safe.
 */
final class Attempt implements JobContext {
    private final Job job;
    private final Broker.Delivery delivery;
    private final Thread thread;
    private final Worker worker;
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private boolean cancelled;
    private boolean done;

    Attempt(Job job, Broker.Delivery delivery, Thread thread, Worker worker) {
        this.job = job;
        this.delivery = delivery;
        this.thread = thread;
        this.worker = worker;
    }

    @Override
    public Job job() {
        return job;
    }

    Broker.Delivery delivery() {
        return delivery;
    }

    @Override
    public int attempt() {
        return job.attempts();
    }

    @Override
    public void progress(double fraction, String message) {
        if (!cancelled()) {
            worker.progress(job.id(), Math.max(0, Math.min(1, fraction)), message);
        }
    }

    @Override
    public synchronized boolean cancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(Runnable action) {
        boolean now;
        synchronized (this) {
            now = cancelled;
            if (!now) {
                onCancel.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }

    void cancel() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            if (!done) {
                thread.interrupt();
            }
        }
        onCancel.forEach(Runnable::run);
    }

    /** The handler returned: no interrupt may reach the thread after this, and a stale one is cleared. */
    synchronized void finished() {
        done = true;
        Thread.interrupted();
    }
}
