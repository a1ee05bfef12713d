package dev.pixelsense.store;

/**
 * One progress report of a pull, sent at each state change and about every quarter second while
 * bytes flow.
 *
 * @param status resolving, downloading, verifying, extracting, done, exists
 * @param total bytes expected, or -1 when unknown
 * @param bytesPerSecond over the last reports, 0 when not downloading
 * @param etaSeconds -1 when unknown
 */
public record PullProgress(String ref, String file, String status, long completed, long total,
                           double bytesPerSecond, long etaSeconds, String message) {

    /** Receives progress; called on the pulling thread, must be quick. */
    @FunctionalInterface
    public interface Listener {
        void on(PullProgress progress);

        Listener NONE = p -> { };
    }
}
