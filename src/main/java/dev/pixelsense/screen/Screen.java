package dev.pixelsense.screen;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The screen: its monitors and captures of them. Open one with {@link #open()}; the implementation
 * is chosen at run time (X11 shared memory on Linux when it works, else {@code java.awt.Robot})
 * and the choice is logged once per process.
 *
 * <p>Coordinates are virtual-desktop logical pixels (points); frames carry physical pixels and the
 * logical rectangle they cover, so HiDPI mapping is exact (see {@link Frame#toDesktop}).
 *
 * <p>Threading: an instance may be shared; its calls are serialized (one native connection and
 * one shared-memory buffer each). Open one per thread to capture in parallel.
 * It owns native resources: close it. {@code close()} is idempotent.
 */
public interface Screen extends AutoCloseable {
    /** Which implementation to use. */
    enum Backend {
        /** X11 shared memory when available, else Robot. */
        AUTO,
        /** X11 MIT-SHM only; fails instead of falling back. */
        X11_SHM,
        /** {@code java.awt.Robot} (any platform with a display; slower). */
        ROBOT
    }

    /**
     * Opens the screen of {@code $DISPLAY} (X11) or the desktop (macOS, Windows).
     *
     * @throws dev.pixelsense.error.UnavailableException with what to do, when there is no usable
     *     display (no DISPLAY, Wayland without XWayland, a headless JVM)
     */
    static Screen open() {
        return open(null, Backend.AUTO);
    }

    /**
     * @param display an X11 display name such as {@code :99}, or null for {@code $DISPLAY}; Robot
     *     can only use {@code $DISPLAY}
     */
    static Screen open(String display, Backend backend) {
        return Screens.open(display, backend);
    }

    /** {@code x11-shm} or {@code robot}. */
    String backend();

    /** The monitors, read from the platform on each call (layouts change). */
    List<Monitor> monitors();

    /**
     * Captures a monitor, a region or the whole desktop.
     *
     * @throws dev.pixelsense.error.NotFoundException for an unknown monitor id
     * @throws dev.pixelsense.error.BadRequestException for a region outside the desktop
     */
    default Frame capture(Target target) {
        return capture(target, null);
    }

    /**
     * Captures into {@code recycle}'s pixel array when it is large enough, so a capture loop
     * allocates nothing (a fresh 1080p array costs more than the capture itself: 8 MB zeroed).
     * {@code recycle} must not be used afterwards; the returned frame may share its array.
     *
     * @param recycle a frame this caller is done with, or null
     */
    Frame capture(Target target, Frame recycle);

    /**
     * Captures {@code target} into {@code previous}, reading from the screen only what was redrawn
     * since {@code previous} was taken: for capture loops (after every action, while waiting for the
     * screen to settle), where most of the screen has not changed. The result is exact, the same
     * pixels {@link #capture} would give now; {@link FrameUpdate} says whether it was a full read.
     *
     * <p>On X11 the DAMAGE extension tells which areas the X server drew since the last call; only
     * those are read into {@code previous}'s array, so an unchanged 1080p screen costs one round
     * trip (~0.01 ms) instead of a full capture (~2 ms), and a changed dialog costs its own size.
     * Elsewhere (Robot, a server without DAMAGE) every call is a full capture, compared with
     * {@code previous} for {@link FrameUpdate#changedPixels}.
     *
     * <p>Pass the frame the previous call returned, or null to start; do not use or modify it
     * afterwards (the result shares its array). One frame per screen is tracked: another frame or
     * target, or a frame handed to {@link #capture(Target, Frame)} in between, gives a full read.
     * DAMAGE covers what the X server renders or is told about (windows, compositors, GL buffer
     * swaps); a picture the server never sees, such as a hardware video overlay, is missing from
     * every X capture alike.
     *
     * @param previous the frame the last call returned, or null
     */
    default FrameUpdate captureChanges(Target target, Frame previous) {
        return FrameUpdate.full(capture(target), previous);
    }

    /**
     * Captures and hands the pixels to {@code reader} in place, with no copy (on X11 the view is
     * the shared segment: about half the cost of {@link #capture} at 1080p). The view is valid only
     * during the call; other calls on this screen wait until it returns.
     */
    default <T> T read(Target target, Function<FrameView, T> reader) {
        Frame frame = capture(target);
        return reader.apply(new FrameView(frame.width(), frame.height(), MemorySegment.ofArray(frame.pixels()),
                frame.bounds()));
    }

    /**
     * Captures {@code target} repeatedly until nothing in it has changed for {@code quiet}, or
     * until {@code timeout}: what to call after an action instead of a fixed sleep. Each capture
     * reuses an earlier frame's array; see {@link StableWait} for the pacing.
     *
     * @return whether it settled, how long it took, and the last frame
     * @throws dev.pixelsense.error.BadRequestException when {@code timeout < quiet}
     */
    default Stability waitUntilStable(Target target, Duration quiet, Duration timeout) {
        return waitUntilStable(target, quiet, timeout, 0);
    }

    /**
     * As {@link #waitUntilStable(Target, Duration, Duration)}, counting a change only when more
     * than {@code tolerance} of the pixels differ (e.g. {@code 0.0001} ignores a blinking caret on
     * a 1080p monitor, 17 pixels of 2 million).
     */
    default Stability waitUntilStable(Target target, Duration quiet, Duration timeout, double tolerance) {
        return StableWait.run(this, target, quiet, timeout, tolerance);
    }

    /**
     * The title of the top-level window showing at desktop point (x, y); empty when there is none
     * or the platform cannot tell (Robot).
     */
    default Optional<String> windowTitleAt(int x, int y) {
        return Optional.empty();
    }

    /** The title of the window with the keyboard focus; empty when unknown (Robot) or none. */
    default Optional<String> focusedWindowTitle() {
        return Optional.empty();
    }

    @Override
    void close();
}
