package dev.pixelsense.vision.ocr;

/**
 * A rectangle at any angle: centre, the unit vector along its width ({@code ux, uy}; the height
 * runs along {@code (-uy, ux)}), and its side lengths. What detection finds and recognition reads.
 */
record RotatedBox(double cx, double cy, double ux, double uy, double width, double height) {

    /** Corners top-left, top-right, bottom-right, bottom-left as {x0, y0, x1, y1, ...}. */
    double[] corners() {
        double wx = ux * width / 2, wy = uy * width / 2;
        double hx = -uy * height / 2, hy = ux * height / 2;
        return new double[] {cx - wx - hx, cy - wy - hy, cx + wx - hx, cy + wy - hy,
            cx + wx + hx, cy + wy + hy, cx - wx + hx, cy - wy + hy};
    }

    /** Grown by {@code d} on every side. */
    RotatedBox expanded(double d) {
        return new RotatedBox(cx, cy, ux, uy, width + 2 * d, height + 2 * d);
    }

    /** Every coordinate multiplied by {@code s} (detection map -> image pixels). */
    RotatedBox scaled(double s) {
        return new RotatedBox(cx * s, cy * s, ux, uy, width * s, height * s);
    }

    double shortSide() {
        return Math.min(width, height);
    }

    /**
     * The same rectangle described so that its width runs left to right within +-45 degrees of
     * horizontal (text on screens is read along x): a box found standing up is turned a quarter.
     */
    RotatedBox readingOrder() {
        RotatedBox b = this;
        if (Math.abs(b.uy) > Math.abs(b.ux)) { // width axis closer to vertical: swap the axes
            b = new RotatedBox(cx, cy, uy, -ux, height, width);
        }
        return b.ux < 0 ? new RotatedBox(b.cx, b.cy, -b.ux, -b.uy, b.width, b.height) : b;
    }

    Quad toQuad(int maxX, int maxY) {
        double[] c = corners();
        Quad.Point[] p = new Quad.Point[4];
        for (int i = 0; i < 4; i++) {
            p[i] = new Quad.Point((int) Math.round(Math.clamp(c[2 * i], 0, maxX)),
                    (int) Math.round(Math.clamp(c[2 * i + 1], 0, maxY)));
        }
        return new Quad(p[0], p[1], p[2], p[3]);
    }
}
