package dev.pixelsense.screen;

/** What to capture: one monitor, a region of the virtual desktop, or the whole virtual desktop. */
public sealed interface Target {
    /** The monitor with this {@link Monitor#id()}. */
    record OfMonitor(int id) implements Target {
        @Override
        public String toString() {
            return "monitor " + id;
        }
    }

    /** A rectangle in virtual-desktop coordinates; it must lie inside the desktop. */
    record Region(Rect rect) implements Target {
        @Override
        public String toString() {
            return "region " + rect;
        }
    }

    /** The bounding box of all monitors. */
    record Desktop() implements Target {
        @Override
        public String toString() {
            return "the desktop";
        }
    }

    static Target monitor(int id) {
        return new OfMonitor(id);
    }

    static Target region(Rect rect) {
        return new Region(rect);
    }

    static Target desktop() {
        return new Desktop();
    }
}
