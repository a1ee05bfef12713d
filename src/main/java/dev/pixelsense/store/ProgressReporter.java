package dev.pixelsense.store;

/**
 * Turns the downloader's byte counts into {@link PullProgress} reports: at most one every
 * {@value #EVERY_MS} ms, with a speed smoothed over recent reports and an ETA from it.
 */
final class ProgressReporter implements Downloader.Progress {
    private static final long EVERY_MS = 250;

    private final String ref;
    private final String file;
    private final PullProgress.Listener listener;
    private long lastNanos;
    private long lastBytes;
    private double speed;

    ProgressReporter(String ref, String file, PullProgress.Listener listener) {
        this.ref = ref;
        this.file = file;
        this.listener = listener;
    }

    @Override
    public void start(long completed, long total) {
        lastNanos = System.nanoTime();
        lastBytes = completed;
        speed = 0;
        listener.on(new PullProgress(ref, file, "downloading", completed, total, 0, -1,
                completed > 0 ? "resuming at byte " + completed : null));
    }

    @Override
    public void update(long completed, long total) {
        long now = System.nanoTime();
        long elapsed = now - lastNanos;
        if (elapsed < EVERY_MS * 1_000_000L && completed != total) {
            return;
        }
        double instant = (completed - lastBytes) / (elapsed / 1e9);
        speed = speed == 0 ? instant : 0.7 * speed + 0.3 * instant;
        lastNanos = now;
        lastBytes = completed;
        long eta = total > 0 && speed > 0 ? (long) Math.ceil((total - completed) / speed) : -1;
        listener.on(new PullProgress(ref, file, "downloading", completed, total, speed, eta, null));
    }
}
