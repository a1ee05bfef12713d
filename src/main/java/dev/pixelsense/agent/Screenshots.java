package dev.pixelsense.agent;

import dev.pixelsense.screen.Frame;
import dev.pixelsense.vision.ImageEncoder;
import java.awt.image.BufferedImage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns frames into what the model is shown: scaled to {@code max_edge}, JPEG, as a data URL (about
 * 50 ms at 1080p, as much as the rest of a step). While the screen settles after an action,
 * {@link Settle} offers each frame that may be the final one; it is prepared here on a worker
 * thread during the quiet period, and {@link #shot} takes it when the final frame has the same
 * version, so the step does not pay for it again. One worker, newest offer first; stale offers are
 * skipped. Owned by one run; close it at the end.
 */
final class Screenshots implements AutoCloseable {
    /** A prepared screenshot: the view (final frame + shown image) and its data URL. */
    record Shot(View view, String dataUrl) {
    }

    private record Prepared(BufferedImage shown, String dataUrl) {
    }

    private final int maxEdge;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
            .name("agent-screenshots").unstarted(r));
    private Future<Prepared> pending;
    private long pendingVersion = -1;
    private long pendingSeq;
    private long seq;
    /** The offer a queued task must still be to run; any other one is stale and skipped. */
    private volatile long current = -1;
    private int hits;
    private int misses;

    Screenshots(int maxEdge) {
        this.maxEdge = maxEdge;
    }

    /** Prepares {@code frame} now, on this thread. */
    Shot now(Frame frame) {
        Prepared p = prepare(frame);
        return new Shot(new View(frame, p.shown()), p.dataUrl());
    }

    /** A frame {@link Settle} saw; prepared in the background unless a newer one comes first. */
    synchronized void offer(Frame copy, long version) {
        long mine = ++seq;
        current = mine;
        pendingVersion = version;
        pendingSeq = mine;
        pending = worker.submit(() -> current != mine ? null : prepare(copy));
    }

    /** The shot of the settled frame: the prepared candidate when its version matches, else made now. */
    Shot shot(Frame settled, long version) {
        Future<Prepared> candidate;
        synchronized (this) {
            candidate = pendingVersion == version ? pending : null;
            current = candidate != null ? pendingSeq : -1; // everything else still queued is stale now
            pending = null;
            pendingVersion = -1;
        }
        if (candidate != null) {
            try {
                Prepared p = candidate.get();
                if (p != null) {
                    hits++;
                    return new Shot(new View(settled, p.shown()), p.dataUrl());
                }
            } catch (ExecutionException e) {
                // prepare it here instead; the same failure will surface
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        misses++;
        return now(settled);
    }

    /** How often the prepared candidate was used, for the run's last event. */
    String stats() {
        return hits + " prepared while settling, " + misses + " after";
    }

    private Prepared prepare(Frame frame) {
        BufferedImage shown = frame.scaledToMaxEdge(maxEdge).toImage();
        return new Prepared(shown, ImageEncoder.jpegDataUrl(shown));
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
