package dev.pixelsense.agent;

import dev.pixelsense.screen.Frame;
import dev.pixelsense.screen.Point;
import dev.pixelsense.screen.Rect;
import java.awt.image.BufferedImage;

/**
 * What the model was shown: a capture of {@code frame.bounds()} (virtual-desktop logical pixels)
 * scaled to {@code shown}. Fractions of the shown image map to the desktop through the bounds, so
 * HiDPI and downscaling never offset a click.
 *
 * @param frame the full-resolution capture
 * @param shown the image sent to the model
 */
record View(Frame frame, BufferedImage shown) {

    Rect bounds() {
        return frame.bounds();
    }

    /** The desktop point at fractions (fx, fy) of the screenshot. */
    Point at(double fx, double fy) {
        return Point.inRegion(bounds(), fx, fy);
    }

    /** Where desktop point (x, y) falls in the shown image, in its pixels. */
    double[] toShown(double x, double y) {
        Rect b = bounds();
        return new double[] {(x - b.x()) * shown.getWidth() / b.width(), (y - b.y()) * shown.getHeight() / b.height()};
    }

    /** A desktop rectangle from frame pixels (OCR boxes are in frame pixels). */
    Rect toDesktop(Rect framePixels) {
        Rect b = bounds();
        double sx = (double) b.width() / frame.width();
        double sy = (double) b.height() / frame.height();
        int x0 = b.x() + (int) Math.floor(framePixels.x() * sx);
        int y0 = b.y() + (int) Math.floor(framePixels.y() * sy);
        int x1 = b.x() + (int) Math.ceil(framePixels.right() * sx);
        int y1 = b.y() + (int) Math.ceil(framePixels.bottom() * sy);
        return new Rect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    }

    /** A zoomed crop: the desktop rectangle it covers and the image shown. */
    record Zoomed(Rect bounds, BufferedImage image) {
        Point at(double fx, double fy) {
            return Point.inRegion(bounds, fx, fy);
        }
    }
}
