package dev.pixelsense.api;

import dev.pixelsense.model.CallContext;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs the copy loop of streamed answers (read a chunk from the model, write it to the client)
 * on platform threads. A virtual thread that waits on a socket parks, and a poller thread must
 * wake it and hand it back to a carrier for every chunk; a platform thread sleeps in the read
 * itself and the kernel wakes it. Measured with a stand-in runner pacing 256 tokens 3 ms apart:
 * the server's CPU per answer fell from 78-91 ms to 48-54 ms (with the blocking runner socket of
 * LoopbackUpstream; docs/benchmarks.md), CPU that a local model on the same cores gets back.
 *
 * <p>At most {@value #MAX_THREADS} loops run on platform threads; beyond that a loop runs on the
 * caller's (virtual) thread, so many concurrent remote streams cost no more than before.
 */
final class StreamRelay {
    static final int MAX_THREADS = 64;

    private final ExecutorService threads = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("pixelsense-relay-", 0).daemon(true).factory());
    private final Semaphore slots = new Semaphore(MAX_THREADS);

    /**
     * Runs {@code loop} to its end and returns then. If the calling thread is interrupted (the
     * server stops), the call is cancelled, which ends the loop's read, and its end is awaited.
     */
    void run(Runnable loop, CallContext call) {
        if (!slots.tryAcquire()) {
            loop.run();
            return;
        }
        try {
            Future<?> done = threads.submit(loop);
            boolean interrupted = false;
            while (true) {
                try {
                    done.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    call.cancel();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            slots.release();
        }
    }
}
