package dev.pixelsense.screen;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.CancelledException;
import java.time.Duration;

/**
 * The capture loop behind {@link Screen#waitUntilStable}: two frames, each capture reusing the
 * older one's array, compared with {@link FrameDiff}; stable once no comparison saw a change for
 * the quiet period. A change is only seen at the next capture, so the quiet period is counted
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
        Frame previous = screen.capture(target);
        Frame spare = null;
        long lastChange = start;
        int captures = 1;
        while (true) {
            sleep(pace);
            Frame current = screen.capture(target, spare);
            captures++;
            long now = System.nanoTime();
            if (changed(previous, current, tolerance)) {
                lastChange = now;
            }
            spare = previous;
            previous = current;
            if (now - lastChange >= quiet.toNanos()) {
                return new Stability(true, Duration.ofNanos(now - start), captures, current);
            }
            if (now - start >= timeout.toNanos()) {
                return new Stability(false, Duration.ofNanos(now - start), captures, current);
            }
        }
    }

    private static boolean changed(Frame a, Frame b, double tolerance) {
        if (a.width() != b.width() || a.height() != b.height()) {
            return true;
        }
        FrameDiff diff = FrameDiff.between(a, b);
        return diff.changed() && diff.changedFraction() > tolerance;
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
