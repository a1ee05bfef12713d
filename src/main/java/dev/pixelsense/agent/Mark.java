package dev.pixelsense.agent;

import dev.pixelsense.screen.Rect;

/** What a trace draws on a step's screenshot, in virtual-desktop coordinates. */
sealed interface Mark {
    /** A click, move or scroll point. */
    record Crosshair(double x, double y, String label) implements Mark {
    }

    /** A drag. */
    record Arrow(double x1, double y1, double x2, double y2) implements Mark {
    }

    /** An OCR match (the chosen one filled) or a zoomed region. */
    record Box(Rect rect, String label, boolean chosen) implements Mark {
    }
}
