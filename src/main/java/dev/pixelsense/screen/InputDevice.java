package dev.pixelsense.screen;

import java.util.List;

/**
 * The extension point behind {@link Input}: the raw events one platform can fake. Coordinates
 * here are whole desktop pixels, already checked; key names are {@link KeyCombo} canonical names.
 * The policy (points, combos, drags, click counts, validation, locking) lives once in
 * {@link DeviceInput}. Implementations need not be thread-safe: they are called under its lock.
 */
interface InputDevice extends AutoCloseable {
    /** {@code xtest} or {@code robot}. */
    String name();

    Rect desktop();

    List<Monitor> monitors();

    /** The pointer's position, {x, y}. */
    int[] pointer();

    void moveTo(int x, int y);

    void button(Button button, boolean down);

    /** Wheel notches: {@code dy > 0} down, {@code dx > 0} right. */
    void wheel(int dx, int dy);

    /** @throws dev.pixelsense.error.BadRequestException for a key this platform cannot press */
    void checkKey(String key);

    void key(String key, boolean down);

    /** Types text as it is given (every character, newlines as Enter). */
    void type(String text);

    /** Waits until the events sent so far have reached the window system. */
    void flush();

    @Override
    void close();
}
