package dev.pixelsense.screen;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.CancelledException;
import java.time.Duration;

/**
 * The capture loop behind {@link Screen#waitUntilStable}: one frame kept current with
 * {@link Screen#captureChanges}, which counts the pixels each capture changed (on X11 it reads and
 * compares only what the server redrew, so a still screen costs a round trip per capture); stable
 * once no capture changed more than the tolerance for the quiet period. A change is only seen at the next capture, so the quiet period is counted
 * from the first capture that showed the last change (slightly longer than the true quiet time,
 * never shorter). Captures are paced at a fifth of the quiet period, between 10 and 100 ms, so a
 * wait costs a few percent of a core rather than one.
 */
final class StableWait {
    private StableWait() {}

    static Stability run(Screen screen, Target target, Duration quiet, Duration timeout, double tolerance) {
        if (quiet.isNegative() || quiet.isZero() || timeout.compareTo(quiet) < 0) {
            throw new BadRequestException("Waiting for a stable screen needs a positive quiet period and a timeout at"
                    + " least as long; got quiet " + quiet.toMillis() + " ms, timeout " + timeout.toMillis() + " ms",
                    "timeout");
        }
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new BadRequestException("The changed fraction to tolerate is between 0 and 1, got " + tolerance,
                    "tolerance");
        }
        long pace = Math.clamp(quiet.toMillis() / 5, 10, 100);
        long start = System.nanoTime();
        Frame frame = screen.captureChanges(target, null).frame();
        long lastChange = start;
        int captures = 1;
        while (true) {
            sleep(pace);
            FrameUpdate update = screen.captureChanges(target, frame);
            frame = update.frame();
            captures++;
            long now = System.nanoTime();
            if (update.changed() && update.changedFraction() > tolerance) {
                lastChange = now;
            }
            if (now - lastChange >= quiet.toNanos()) {
                return new Stability(true, Duration.ofNanos(now - start), captures, frame);
            }
            if (now - start >= timeout.toNanos()) {
                return new Stability(false, Duration.ofNanos(now - start), captures, frame);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("interrupted while waiting for the screen to settle");
        }
    }
}
