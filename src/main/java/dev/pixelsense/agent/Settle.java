package dev.pixelsense.agent;

import dev.pixelsense.error.CancelledException;
import dev.pixelsense.screen.Frame;
import dev.pixelsense.screen.FrameDiff;
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

    /** The settled frame, whether the screen reacted, and whether it went quiet in time. */
    record Result(Frame frame, boolean reacted, boolean quiet, Duration elapsed) {
    }

    static Result after(Screen screen, Target target, Frame before, Duration reaction, Duration quiet,
                        Duration timeout, long tolerancePixels) {
        long start = System.nanoTime();
        long pace = Math.clamp(quiet.toMillis() / 5, 5, 50);
        Frame frame = screen.captureChanges(target, null).frame();
        boolean reacted = before.width() == frame.width() && before.height() == frame.height()
                ? changedPixels(before, frame) > tolerancePixels : true;
        long lastChange = reacted ? System.nanoTime() : -1;
        while (true) {
            long now = System.nanoTime();
            if (reacted && now - lastChange >= quiet.toNanos()) {
                return new Result(frame, true, true, Duration.ofNanos(now - start));
            }
            if (!reacted && now - start >= reaction.toNanos()) {
                return new Result(frame, false, true, Duration.ofNanos(now - start));
            }
            if (now - start >= timeout.toNanos()) {
                return new Result(frame, reacted, false, Duration.ofNanos(now - start));
            }
            try {
                Thread.sleep(pace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("interrupted while waiting for the screen to settle");
            }
            FrameUpdate update = screen.captureChanges(target, frame);
            frame = update.frame();
            if (update.changedPixels() > tolerancePixels) {
                reacted = true;
                lastChange = System.nanoTime();
            }
        }
    }

    private static long changedPixels(Frame a, Frame b) {
        return Math.round(FrameDiff.between(a, b).changedFraction() * a.width() * a.height());
    }
}
