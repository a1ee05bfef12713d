package dev.pixelsense.screen;

/**
 * One monitor.
 *
 * @param id      0-based index in the order the platform reports monitors; what {@code --monitor} takes
 * @param name    the platform's name for it (an output such as {@code DP-1}, or {@code screen-0})
 * @param bounds  where it sits in the virtual desktop, in logical pixels (points)
 * @param scale   physical pixels per logical pixel (1.0 on X11, 2.0 on a Retina display)
 * @param primary whether it is the primary monitor
 */
public record Monitor(int id, String name, Rect bounds, double scale, boolean primary) {
    public Monitor {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive, got " + scale);
        }
    }
}
