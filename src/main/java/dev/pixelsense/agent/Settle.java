package dev.pixelsense.agent;

import dev.pixelsense.error.CancelledException;
import dev.pixelsense.screen.Frame;
import dev.pixelsense.screen.FrameUpdate;
import dev.pixelsense.screen.Screen;
import dev.pixelsense.screen.Target;
import java.time.Duration;

/**
 * Waits for the effect of an action, instead of a fixed sleep: until the screen has reacted and then
 * been quiet for {@code quiet}; or, when it does not react within {@code reaction}, until then
 * (no visible change). {@link Screen#waitUntilStable} alone would call a screen settled that has
 * not started to change yet: an application under load may take longer than the quiet period to
 * paint the first keystroke.
 *
 * <p>The first capture is compared with the frame from before the action; later ones are read
 * with {@link Screen#captureChanges} (on X11 only what was redrawn) and count what changed since
 * the previous capture. Changes of at most {@code tolerancePixels} (a blinking caret) do not count.
 */
final class Settle {
    private Settle() {}

    /**
     * The settled frame, whether the screen reacted, whether it went quiet in time, and its version:
     * how many captures changed any pixel (a candidate offered at the same version has the same pixels).
     */
    record Result(Frame frame, boolean reacted, boolean quiet, Duration elapsed, long version, Duration reaction,
                  int changes) {
    }

    /** Receives a copy of a frame that may turn out to be the settled one, to prepare it early. */
    @FunctionalInterface
    interface Candidates {
        void offer(Frame copy, long version);
    }

    /**
     * @param candidates offered a copy of the frame each time the screen changed beyond the
     *                   tolerance, and of the unchanged screen when it has not reacted within half
     *                   the reaction window: while the wait runs out, the caller can scale and
     *                   encode it; null for none
     */
    static Result after(Screen screen, Target target, Frame before, Duration reaction, Duration quiet,
                        Duration timeout, long tolerancePixels, Candidates candidates) {
        long start = System.nanoTime();
        long pace = Math.clamp(quiet.toMillis() / 5, 5, 50);
        Frame frame = screen.captureChanges(target, null).frame();
        long version = 0;
        boolean offeredStill = false;
        boolean reacted = before.width() != frame.width() || before.height() != frame.height()
                || differs(before, frame, tolerancePixels);
        long lastChange = reacted ? System.nanoTime() : -1;
        long firstChange = lastChange;
        int changes = reacted ? 1 : 0;
        while (true) {
            long now = System.nanoTime();
            if (reacted && now - lastChange >= quiet.toNanos()) {
                return new Result(frame, true, true, Duration.ofNanos(now - start), version,
                        Duration.ofNanos(firstChange - start), changes);
            }
            if (!reacted && !offeredStill && now - start >= reaction.toNanos() / 2) {
                // no reaction yet: the screen may stay as it is, so prepare it while the window runs out
                // (not sooner: the encoding would take CPU from the application while it reacts)
                offer(candidates, frame, version);
                offeredStill = true;
            }
            if (!reacted && now - start >= reaction.toNanos()) {
                return new Result(frame, false, true, Duration.ofNanos(now - start), version, null, 0);
            }
            if (now - start >= timeout.toNanos()) {
                return new Result(frame, reacted, false, Duration.ofNanos(now - start), version,
                        reacted ? Duration.ofNanos(firstChange - start) : null, changes);
            }
            try {
                Thread.sleep(pace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("interrupted while waiting for the screen to settle");
            }
            FrameUpdate update = screen.captureChanges(target, frame);
            frame = update.frame();
            if (update.changedPixels() > 0) {
                version++;
            }
            if (update.changedPixels() > tolerancePixels) {
                lastChange = System.nanoTime();
                if (!reacted) {
                    firstChange = lastChange;
                }
                reacted = true;
                changes++;
                offer(candidates, frame, version);
            }
        }
    }

    private static void offer(Candidates candidates, Frame frame, long version) {
        if (candidates != null) {
            candidates.offer(new Frame(frame.width(), frame.height(), frame.pixels().clone(), frame.bounds()), version);
        }
    }

    /**
     * Whether more than {@code tolerance} pixels differ; stops counting there. Only a yes or no is
     * needed here (the loop reports where it changed once, from the settled frame), so this is not
     * a {@link dev.pixelsense.screen.FrameDiff}: no tiles, no boxes, and a changed screen is known
     * after its first changed rows.
     */
    static boolean differs(Frame a, Frame b, long tolerance) {
        int[] x = a.pixels();
        int[] y = b.pixels();
        int n = a.width() * a.height();
        long changed = 0;
        for (int i = 0; i < n; i++) {
            if (((x[i] ^ y[i]) & 0xFFFFFF) != 0 && ++changed > tolerance) {
                return true;
            }
        }
        return false;
    }
}
