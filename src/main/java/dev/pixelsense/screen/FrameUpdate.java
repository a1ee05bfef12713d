package dev.pixelsense.screen;

import java.util.List;

/**
 * What {@link Screen#captureChanges} did: the target's pixels now, which parts of them were read
 * from the screen, and how many differ from the previous frame.
 *
 * @param frame         the target's pixels now, exact: equal to what {@link Screen#capture} would
 *                      return at this moment. Shares the previous frame's array when one was given
 * @param full          true when every pixel was read (the first call, another target or frame
 *                      than last time, or no damage tracking: Robot, an X server without DAMAGE);
 *                      false when only {@code fetched} was read and the rest was known unchanged
 * @param fetched       the rectangles read from the screen, in frame pixel coordinates: the whole
 *                      frame when {@code full}; what the X server redrew when not (none when
 *                      nothing was), which may include areas redrawn with the same pixels
 * @param changedPixels pixels that differ from the previous frame; all of them when there was no
 *                      previous frame of this size to compare with
 */
public record FrameUpdate(Frame frame, boolean full, List<Rect> fetched, long changedPixels) {
    public FrameUpdate {
        fetched = List.copyOf(fetched);
    }

    /** A full read of {@code frame}, compared with {@code previous} (null: everything counts as changed). */
    static FrameUpdate full(Frame frame, Frame previous) {
        return new FrameUpdate(frame, true, List.of(new Rect(0, 0, frame.width(), frame.height())),
                comparable(previous, frame) ? PixelCopy.differing(previous.pixels(), frame.pixels(), frame.width() * frame.height())
                        : (long) frame.width() * frame.height());
    }

    /** Whether anything differs from the previous frame. */
    public boolean changed() {
        return changedPixels > 0;
    }

    /** Changed pixels / all pixels, 0 to 1. */
    public double changedFraction() {
        return (double) changedPixels / ((long) frame.width() * frame.height());
    }

    static boolean comparable(Frame previous, Frame now) {
        return previous != null && previous.width() == now.width() && previous.height() == now.height();
    }
}
