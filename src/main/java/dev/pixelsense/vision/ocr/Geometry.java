package dev.pixelsense.vision.ocr;

import java.util.Arrays;

/** Convex hull and minimum-area rectangle of point sets (detection post-processing). */
final class Geometry {
    private Geometry() {
    }

    /**
     * The convex hull of {@code n} points ({@code xs[i], ys[i]}), counter-clockwise in image axes,
     * as {x0, y0, x1, y1, ...}; collinear points dropped. Andrew's monotone chain, O(n log n).
     */
    static double[] convexHull(int[] xs, int[] ys, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) xs[i] << 32) | (ys[i] & 0xFFFFFFFFL); // sorts by x, then y (both >= 0)
        }
        Arrays.sort(keys);
        int[] hull = new int[4 * n + 4];
        int k = 0;
        for (int pass = 0; pass < 2; pass++) {
            int start = k;
            for (int j = 0; j < n; j++) {
                long key = keys[pass == 0 ? j : n - 1 - j];
                int x = (int) (key >> 32), y = (int) key;
                while (k - start >= 2 && cross(hull, k - 2, k - 1, x, y) <= 0) {
                    k--;
                }
                hull[2 * k] = x;
                hull[2 * k + 1] = y;
                k++;
            }
            k--; // the last point of each chain starts the other
        }
        if (k < 1) {
            k = 1;
        }
        double[] out = new double[2 * k];
        for (int i = 0; i < 2 * k; i++) {
            out[i] = hull[i];
        }
        return out;
    }

    private static long cross(int[] h, int a, int b, int x, int y) {
        long ax = h[2 * a], ay = h[2 * a + 1], bx = h[2 * b], by = h[2 * b + 1];
        return (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    }

    /**
     * The rectangle of least area holding a convex polygon: one of its sides lies on a hull edge
     * (rotating calipers, tried edge by edge: hulls of text components have few vertices).
     * A single point or a segment gives a rectangle with a zero side.
     */
    static RotatedBox minAreaRect(double[] hull) {
        int n = hull.length / 2;
        RotatedBox best = null;
        double bestArea = Double.MAX_VALUE;
        for (int i = 0; i < Math.max(1, n); i++) {
            double ux = 1, uy = 0;
            if (n > 1) {
                int j = (i + 1) % n;
                double dx = hull[2 * j] - hull[2 * i], dy = hull[2 * j + 1] - hull[2 * i + 1];
                double len = Math.hypot(dx, dy);
                if (len == 0) {
                    continue;
                }
                ux = dx / len;
                uy = dy / len;
            }
            double minU = Double.MAX_VALUE, maxU = -Double.MAX_VALUE, minV = Double.MAX_VALUE, maxV = -Double.MAX_VALUE;
            for (int p = 0; p < n; p++) {
                double u = hull[2 * p] * ux + hull[2 * p + 1] * uy;
                double v = -hull[2 * p] * uy + hull[2 * p + 1] * ux;
                minU = Math.min(minU, u);
                maxU = Math.max(maxU, u);
                minV = Math.min(minV, v);
                maxV = Math.max(maxV, v);
            }
            double area = (maxU - minU) * (maxV - minV);
            if (area < bestArea - 1e-9) {
                bestArea = area;
                double cu = (minU + maxU) / 2, cv = (minV + maxV) / 2;
                best = new RotatedBox(cu * ux - cv * uy, cu * uy + cv * ux, ux, uy, maxU - minU, maxV - minV);
            }
        }
        return best == null ? new RotatedBox(hull[0], hull[1], 1, 0, 0, 0) : best.readingOrder();
    }
}
