package dev.pixelsense.screen;

import dev.pixelsense.error.BadRequestException;
import java.util.Locale;

/** A mouse button. */
public enum Button {
    LEFT(1),
    MIDDLE(2),
    RIGHT(3);

    /** The X11 button number (1 left, 2 middle, 3 right; 4-7 are the wheel). */
    final int x11;

    Button(int x11) {
        this.x11 = x11;
    }

    /** {@code left}, {@code middle} or {@code right}, any case. */
    public static Button parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Unknown mouse button '" + name + "'; use left, middle or right", "button");
        }
    }
}
