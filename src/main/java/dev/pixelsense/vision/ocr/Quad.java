package dev.pixelsense.vision.ocr;

import dev.pixelsense.screen.Rect;

/**
 * A text box in image pixels: four corners, clockwise from the top-left of the text as read. On
 * screens the box is almost always an axis-aligned rectangle; slanted text gives a rotated one.
 */
public record Quad(Point topLeft, Point topRight, Point bottomRight, Point bottomLeft) {

    /** A corner, in whole image pixels (x right, y down). */
    public record Point(int x, int y) {
    }

    /** The axis-aligned rectangle holding the four corners (at least 1x1). */
    public Rect bounds() {
        int left = Math.min(Math.min(topLeft.x, topRight.x), Math.min(bottomRight.x, bottomLeft.x));
        int top = Math.min(Math.min(topLeft.y, topRight.y), Math.min(bottomRight.y, bottomLeft.y));
        int right = Math.max(Math.max(topLeft.x, topRight.x), Math.max(bottomRight.x, bottomLeft.x));
        int bottom = Math.max(Math.max(topLeft.y, topRight.y), Math.max(bottomRight.y, bottomLeft.y));
        return new Rect(left, top, Math.max(1, right - left), Math.max(1, bottom - top));
    }
}
