package dev.pixelsense.model;

import dev.pixelsense.error.CancelledException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cancellation for one call, flowing backwards: whoever notices that nobody waits any more
 * (the HTTP client went away, Ctrl+C) calls {@link #cancel()}, and every resource registered
 * with {@link #onCancel(Runnable)} (an upstream connection, a queue wait) is released.
 * Thread-safe.
 */
public final class CallContext {
    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;
    private final long startNanos = System.nanoTime();

    /** Runs {@code action} on cancellation, or right away if the call is already cancelled. */
    public void onCancel(Runnable action) {
        synchronized (actions) {
            if (!cancelled) {
                actions.add(action);
                return;
            }
        }
        action.run();
    }

    public void cancel() {
        List<Runnable> toRun;
        synchronized (actions) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        for (Runnable r : toRun) {
            try {
                r.run();
            } catch (RuntimeException ignored) {
                // cancellation is best effort: one failing release must not stop the others
            }
        }
    }

    public boolean cancelled() {
        synchronized (actions) {
            return cancelled;
        }
    }

    public void throwIfCancelled() {
        if (cancelled()) {
            throw new CancelledException("the client cancelled the request");
        }
    }

    public long startNanos() {
        return startNanos;
    }
}
