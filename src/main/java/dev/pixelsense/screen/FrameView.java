package dev.pixelsense.screen;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

/**
 * A captured image seen in place, without the copy into a Java array: on X11 these are the bytes
 * the X server just wrote into the shared segment. Valid only inside the
 * {@link Screen#read} callback that received it (the next capture overwrites the memory); keep
 * what you need, or call {@link #toFrame()}.
 *
 * @param pixels {@code width * height} native-order ints, {@code 0xXXRRGGBB}, row-major
 */
public record FrameView(int width, int height, MemorySegment pixels, Rect bounds) {
    /** The pixel at (x, y), {@code 0xRRGGBB}. */
    public int rgb(int x, int y) {
        return pixels.getAtIndex(JAVA_INT, (long) y * width + x) & 0xFFFFFF;
    }

    /** A copy that outlives the callback. */
    public Frame toFrame() {
        int[] out = new int[width * height];
        MemorySegment.copy(pixels, JAVA_INT, 0, out, 0, out.length);
        return new Frame(width, height, out, bounds);
    }
}
