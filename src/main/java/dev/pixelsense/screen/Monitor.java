package dev.pixelsense.screen;

/**
 * One monitor.
 *
 * @param id           0-based index in the order the platform reports monitors (the primary first
 *                     on X11); what {@code --monitor} takes
 * @param name         the platform's name for it: on X11 the RandR monitor or output ({@code DP-1};
 *                     Xvfb's is {@code screen}), or {@code screen-N} when it comes from Xinerama
 * @param bounds       where it sits in the virtual desktop, in logical pixels (points)
 * @param scale        physical pixels per logical pixel: what maps coordinates (2.0 on a Retina
 *                     display). Always 1.0 on X11, where coordinates are physical pixels and the
 *                     server has no per-monitor scaling (see {@code toolkitScale})
 * @param primary      whether it is the primary monitor (exactly one is)
 * @param toolkitScale how much larger than 96 dpi toolkits draw text and widgets, for information
 *                     only: on X11 {@code Xft.dpi / 96} (1.0 when unset), which GTK and Qt scale by
 *                     without changing any pixel coordinate; elsewhere the same as {@code scale}
 */
public record Monitor(int id, String name, Rect bounds, double scale, boolean primary, double toolkitScale) {
    public Monitor {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive, got " + scale);
        }
        if (!(toolkitScale > 0)) {
            throw new IllegalArgumentException("toolkitScale must be positive, got " + toolkitScale);
        }
    }
}
