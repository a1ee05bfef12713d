package dev.pixelsense.screen;

import dev.pixelsense.error.BadRequestException;

/**
 * Where input goes: a virtual-desktop point, or a fraction of a monitor or region.
 *
 * <p>The mapping to a pixel is exact and the same everywhere: a point selects <b>the pixel that
 * contains it</b>. Pixel {@code (i, j)} covers {@code [i, i+1) x [j, j+1)}, so the point {@code
 * (100.0, 20.7)} lands on pixel {@code (100, 20)}, and a normalized point lands on {@code
 * bounds.x + floor(x * bounds.width)} (likewise for y), with {@code 1.0} clamped to the last pixel
 * so the whole closed range {@code [0, 1]} is usable. To hit pixel {@code k} of a {@code w}-pixel
 * wide monitor with a normalized point, aim at its centre, {@code (k + 0.5) / w}.
 *
 * <p>Points are logical pixels, the unit of {@link Monitor#bounds()}; on X11 they are physical
 * pixels (scale 1.0).
 */
public sealed interface Point {
    /** A point in virtual-desktop coordinates. */
    record Absolute(double x, double y) implements Point {
        public Absolute {
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new BadRequestException("A point needs finite coordinates, got " + x + "," + y, "point");
            }
        }

        @Override
        public String toString() {
            return format(x) + "," + format(y);
        }
    }

    /**
     * A point as fractions {@code 0..1} of a monitor, a region or the desktop: (0, 0) is the
     * top-left corner, (1, 1) the bottom-right one.
     */
    record Normalized(double x, double y, Target relativeTo) implements Point {
        public Normalized {
            if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
                throw new BadRequestException("Normalized coordinates must be between 0 and 1, got " + x + "," + y,
                        "point");
            }
            if (relativeTo == null) {
                throw new BadRequestException("A normalized point needs the monitor or region it is relative to",
                        "point");
            }
        }

        @Override
        public String toString() {
            return format(x) + "," + format(y) + " of " + relativeTo;
        }
    }

    static Absolute at(double x, double y) {
        return new Absolute(x, y);
    }

    /** A fraction of monitor {@code monitor} (its {@link Monitor#id()}). */
    static Normalized onMonitor(int monitor, double x, double y) {
        return new Normalized(x, y, Target.monitor(monitor));
    }

    /** A fraction of {@code region}. */
    static Normalized inRegion(Rect region, double x, double y) {
        return new Normalized(x, y, Target.region(region));
    }

    /** The pixel column or row holding the fraction {@code f} of a span of {@code size} pixels from {@code origin}. */
    static int pixel(int origin, int size, double f) {
        return origin + Math.min(size - 1, (int) Math.floor(f * size));
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
