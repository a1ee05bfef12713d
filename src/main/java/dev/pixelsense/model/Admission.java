package dev.pixelsense.model;

import dev.pixelsense.error.RateLimitedException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-model admission: at most {@code maxConcurrency} requests run, at most {@code queueSize}
 * wait; the next one is refused at once with 429 and a Retry-After estimated from how long
 * requests take. A waiting request notices its cancellation within 50 ms.
 */
final class Admission {
    private final String modelId;
    private final int maxConcurrency;
    private final int queueSize;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Exponentially weighted mean request duration, seconds; guarded by this. */
    private double meanSeconds = 1;

    Admission(String modelId, int maxConcurrency, int queueSize) {
        this.modelId = modelId;
        this.maxConcurrency = maxConcurrency;
        this.queueSize = queueSize;
        this.slots = new Semaphore(maxConcurrency, true);
    }

    /** A running slot; release it exactly once via {@link #close()}. */
    final class Permit implements AutoCloseable {
        private final long start = System.nanoTime();
        private boolean released;

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            slots.release();
            double seconds = (System.nanoTime() - start) / 1e9;
            synchronized (Admission.this) {
                meanSeconds = 0.8 * meanSeconds + 0.2 * seconds;
            }
        }
    }

    Permit acquire(CallContext context) {
        if (slots.tryAcquire()) {
            return new Permit();
        }
        if (waiting.incrementAndGet() > queueSize) {
            int queued = waiting.decrementAndGet();
            throw new RateLimitedException("model '" + modelId + "' is busy: " + maxConcurrency
                    + " requests running and " + queued + " waiting (queue_size " + queueSize + "); retry later",
                    retryAfterSeconds());
        }
        try {
            while (!slots.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                context.throwIfCancelled();
            }
            return new Permit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.cancel();
            context.throwIfCancelled();
            throw new IllegalStateException("unreachable");
        } finally {
            waiting.decrementAndGet();
        }
    }

    int running() {
        return maxConcurrency - slots.availablePermits();
    }

    int waiting() {
        return waiting.get();
    }

    private synchronized long retryAfterSeconds() {
        return (long) Math.ceil(meanSeconds * (queueSize + 1) / maxConcurrency);
    }
}
