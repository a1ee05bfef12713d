package dev.pixelsense.vision.ocr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Differentiable Binarization post-processing: the detector's probability map to text boxes.
 *
 * <p>The map is thresholded; 8-connected regions (found as runs of pixels per row, joined with
 * union-find) become point sets whose minimum-area rectangle is a candidate. A candidate is kept
 * when its short side is at least {@code minSize}, and the mean probability inside it (the
 * "fast" box score) reaches {@code boxThreshold}. The model was trained to predict a text region
 * shrunk by {@code D = A (1 - 0.4^2) / L}; it is grown back ("unclipped") by {@code A * ratio / L}
 * (A the area and L the perimeter of the rectangle), which for a rectangle is simply that distance
 * on every side. Points are pixel centres, as in the reference implementation the model's
 * constants were tuned with.
 */
final class DbPostProcessor {
    /** A box in detection-map pixels with its score. */
    record Detected(RotatedBox box, float score) {
    }

    private final OcrOptions options;

    DbPostProcessor(OcrOptions options) {
        this.options = options;
    }

    /**
     * @param map    probabilities, row-major, {@code stride} per row
     * @param width  columns holding image content (the rest is padding)
     * @param height rows holding image content
     */
    List<Detected> boxes(float[] map, int stride, int width, int height) {
        Runs runs = Runs.find(map, stride, width, height, options.binaryThreshold());
        int[] order = runs.groupedByComponent();
        List<Detected> out = new ArrayList<>();
        int[] xs = new int[64];
        int[] ys = new int[64];
        int candidates = 0;
        for (int start = 0; start < order.length && candidates < options.maxCandidates(); ) {
            int root = runs.root(order[start]);
            int end = start;
            while (end < order.length && runs.root(order[end]) == root) {
                end++;
            }
            int n = 2 * (end - start);
            if (xs.length < n) {
                xs = new int[n * 2];
                ys = new int[n * 2];
            }
            for (int i = start, k = 0; i < end; i++) {
                int r = order[i];
                xs[k] = runs.x0[r];
                ys[k++] = runs.y[r];
                xs[k] = runs.x1[r];
                ys[k++] = runs.y[r];
            }
            start = end;
            candidates++;
            RotatedBox box = Geometry.minAreaRect(Geometry.convexHull(xs, ys, n));
            if (box.shortSide() < options.minBoxSize()) {
                continue;
            }
            float score = meanInside(map, stride, width, height, box);
            if (score < options.boxThreshold()) {
                continue;
            }
            double distance = box.width() * box.height() * options.unclipRatio() / (2 * (box.width() + box.height()));
            RotatedBox grown = box.expanded(distance);
            if (grown.shortSide() < options.minBoxSize() + 2) {
                continue;
            }
            out.add(new Detected(grown, score));
        }
        return out;
    }

    /** Mean of the map over the pixels whose centre lies in the box (edges included). */
    static float meanInside(float[] map, int stride, int width, int height, RotatedBox box) {
        double[] c = box.corners();
        double minY = Math.min(Math.min(c[1], c[3]), Math.min(c[5], c[7]));
        double maxY = Math.max(Math.max(c[1], c[3]), Math.max(c[5], c[7]));
        int y0 = Math.max(0, (int) Math.ceil(minY - 1e-6)), y1 = Math.min(height - 1, (int) Math.floor(maxY + 1e-6));
        double sum = 0;
        long count = 0;
        for (int y = y0; y <= y1; y++) {
            double left = Double.MAX_VALUE, right = -Double.MAX_VALUE;
            for (int e = 0; e < 4; e++) { // where the row crosses each edge
                double ax = c[2 * e], ay = c[2 * e + 1], bx = c[(2 * e + 2) % 8], by = c[(2 * e + 3) % 8];
                if (y < Math.min(ay, by) - 1e-6 || y > Math.max(ay, by) + 1e-6) {
                    continue;
                }
                if (Math.abs(by - ay) < 1e-9) {
                    left = Math.min(left, Math.min(ax, bx));
                    right = Math.max(right, Math.max(ax, bx));
                } else {
                    double x = ax + (y - ay) * (bx - ax) / (by - ay);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
            int x0 = Math.max(0, (int) Math.ceil(left - 1e-6)), x1 = Math.min(width - 1, (int) Math.floor(right + 1e-6));
            for (int x = x0; x <= x1; x++) {
                sum += map[y * stride + x];
            }
            count += Math.max(0, x1 - x0 + 1);
        }
        return count == 0 ? 0 : (float) (sum / count);
    }

    /** Horizontal runs of pixels above the threshold, joined into 8-connected components. */
    static final class Runs {
        int[] y = new int[1024];
        int[] x0 = new int[1024];
        int[] x1 = new int[1024];
        int[] parent = new int[1024];
        int count;

        static Runs find(float[] map, int stride, int width, int height, float threshold) {
            Runs runs = new Runs();
            int previousStart = 0, previousEnd = 0;
            for (int row = 0; row < height; row++) {
                int rowStart = runs.count;
                int base = row * stride;
                for (int x = 0; x < width; x++) {
                    if (map[base + x] > threshold) {
                        int begin = x;
                        while (x + 1 < width && map[base + x + 1] > threshold) {
                            x++;
                        }
                        runs.add(row, begin, x);
                    }
                }
                // join with the runs of the row above that touch, diagonals included
                int p = previousStart;
                for (int r = rowStart; r < runs.count; r++) {
                    while (p < previousEnd && runs.x1[p] < runs.x0[r] - 1) {
                        p++;
                    }
                    for (int q = p; q < previousEnd && runs.x0[q] <= runs.x1[r] + 1; q++) {
                        runs.union(q, r);
                    }
                }
                previousStart = rowStart;
                previousEnd = runs.count;
            }
            return runs;
        }

        private void add(int row, int begin, int end) {
            if (count == y.length) {
                int n = count * 2;
                y = Arrays.copyOf(y, n);
                x0 = Arrays.copyOf(x0, n);
                x1 = Arrays.copyOf(x1, n);
                parent = Arrays.copyOf(parent, n);
            }
            y[count] = row;
            x0[count] = begin;
            x1[count] = end;
            parent[count] = count;
            count++;
        }

        int root(int r) {
            while (parent[r] != r) {
                parent[r] = parent[parent[r]];
                r = parent[r];
            }
            return r;
        }

        private void union(int a, int b) {
            int ra = root(a), rb = root(b);
            if (ra != rb) {
                parent[Math.max(ra, rb)] = Math.min(ra, rb); // the root stays the first run: top-left first
            }
        }

        /** Run indices ordered by component (components by their first run: top to bottom), then by row. */
        int[] groupedByComponent() {
            long[] keys = new long[count];
            for (int r = 0; r < count; r++) {
                keys[r] = ((long) root(r) << 32) | r;
            }
            Arrays.sort(keys);
            int[] order = new int[count];
            for (int i = 0; i < count; i++) {
                order[i] = (int) keys[i];
            }
            return order;
        }
    }
}
