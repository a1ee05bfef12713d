package dev.pixelsense.screen;

import java.time.Duration;
import java.util.List;

/**
 * The mouse and keyboard. Open one with {@link #open()}; the implementation is chosen at run time
 * (XTest on X11, else {@code java.awt.Robot}) and the choice is logged once per process.
 *
 * <p>Points: see {@link Point} for the exact mapping of a point to the pixel it selects. A point
 * outside every monitor is refused ({@link dev.pixelsense.error.BadRequestException}), never
 * clamped. Every call returns after its events reached the window system (on X11: after an
 * {@code XSync}); when the application has handled them and the screen has settled,
 * {@link Screen#waitUntilStable} tells.
 *
 * <p>Threading: an instance may be shared; calls are serialized, so a drag or a typed string is
 * never interleaved with another call's events. On X11 each instance owns its own Xlib connection
 * (Xlib is used without {@code XInitThreads}, so a connection is only ever entered under the
 * instance's lock) and never shares a {@link Screen}'s. Close it: keys and buttons still held are
 * released, keycodes bound for typing are unbound. {@code close()} is idempotent.
 */
public interface Input extends AutoCloseable {
    /** Intermediate pointer moves of a {@link #drag(Point, Point)}. */
    int DEFAULT_DRAG_STEPS = 10;

    /** Which implementation to use. */
    enum Backend {
        /** XTest when the X server has it, else Robot. */
        AUTO,
        /** The X11 XTest extension only; fails instead of falling back. */
        XTEST,
        /** {@code java.awt.Robot} (any platform with a display; types non-ASCII text by pasting). */
        ROBOT
    }

    /** Opens the input of {@code $DISPLAY} (X11) or the desktop (macOS, Windows). */
    static Input open() {
        return open(null, Backend.AUTO);
    }

    /**
     * @param display an X11 display name such as {@code :99}, or null for {@code $DISPLAY}; Robot
     *     can only use {@code $DISPLAY}
     * @throws dev.pixelsense.error.UnavailableException with what to do, when there is no usable display
     */
    static Input open(String display, Backend backend) {
        return Inputs.open(display, backend);
    }

    /** {@code xtest} or {@code robot}. */
    String backend();

    List<Monitor> monitors();

    /** The pixel {@code point} selects (see {@link Point}), checked to lie on a monitor. */
    Point.Absolute resolve(Point point);

    /** Where the pointer is now. */
    Point.Absolute position();

    void move(Point to);

    default void click(Point at) {
        click(at, Button.LEFT, 1);
    }

    /** Moves to {@code at} and clicks {@code count} times (1 to 3: single, double, triple). */
    void click(Point at, Button button, int count);

    /** Presses {@code button} where the pointer is, and holds it. */
    void press(Button button);

    void release(Button button);

    default void drag(Point from, Point to) {
        drag(from, to, Button.LEFT, DEFAULT_DRAG_STEPS);
    }

    /**
     * Presses {@code button} at {@code from}, moves to {@code to} through {@code steps - 1} evenly
     * spaced intermediate points (rounded to pixels) with a short pause after each, and releases
     * there.
     */
    void drag(Point from, Point to, Button button, int steps);

    /**
     * Moves to {@code at} and turns the wheel: {@code dy} notches down (negative: up), {@code dx}
     * notches right (negative: left).
     */
    void scroll(Point at, int dx, int dy);

    /** Presses and releases a combo such as {@code ctrl+shift+t} (see {@link KeyCombo}). */
    void key(String combo);

    /** Presses the keys of {@code combo} and leaves them held, e.g. {@code shift} around clicks. */
    void keyDown(String combo);

    /** Releases the keys of {@code combo}, last first. */
    void keyUp(String combo);

    /** Holds {@code combo} down for {@code duration}, then releases it. */
    void hold(String combo, Duration duration);

    /**
     * Types {@code text} as it is: any Unicode character (on X11 through keycodes bound on the fly,
     * see {@link X11Keyboard}), newlines as Enter, tabs as Tab. Letters come out as given, whatever
     * the state of shift; Caps Lock is not undone.
     */
    void type(String text);

    @Override
    void close();
}
