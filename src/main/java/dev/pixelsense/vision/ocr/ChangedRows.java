package dev.pixelsense.vision.ocr;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Detection of only what changed since the previous call, for a screen read again and again (a
 * screen agent's loop). The previous image and its boxes are kept; rows whose pixels differ are
 * found by comparing the two, and only bands of full width around them are detected again, each
 * grown by {@link #margin} above and below so that a line near a change is seen whole. A box
 * whose centre lies within half that margin of a changed row comes from the new detection, every
 * other box from the previous one; unchanged lines then come from the recognizer's cache.
 *
 * <p>Everything is detected again on the first call, when the size changed, when the image is
 * downscaled for detection (its boxes would not line up with a band's), or when more than half
 * of the rows changed. Keeps a copy of the previous image (4 bytes per pixel: 8 MB at 1080p).
 * Not thread-safe: the caller serializes.
 */
final class ChangedRows {
    /** Rows around a change detected with it: at least this, and twice the tallest box seen. */
    static final int MIN_MARGIN = 64;
    static final int MAX_MARGIN = 256;

    private int[] previous;
    private int width, height;
    private List<DbPostProcessor.Detected> boxes = List.of();

    /** What the last call did, for tests and timing logs: -1 all detected, else rows detected again. */
    private int rowsDetected = -1;

    List<DbPostProcessor.Detected> detect(TextDetector detector, OcrImage image, int maxSide) throws OrtException {
        if (Math.max(image.width(), image.height()) > maxSide) {
            previous = null; // downscaled: nothing to reuse, and no copy of a large image to keep
            rowsDetected = -1;
            return detector.detect(image);
        }
        List<int[]> changed = previous != null && width == image.width() && height == image.height()
                ? changed(image) : null;
        List<DbPostProcessor.Detected> found;
        if (changed == null || changedCount(changed) * 2 > height) {
            found = detector.detect(image);
            rowsDetected = -1;
        } else {
            found = redetect(detector, image, changed);
        }
        remember(image, found);
        return found;
    }

    int rowsDetected() {
        return rowsDetected;
    }

    private List<DbPostProcessor.Detected> redetect(TextDetector detector, OcrImage image, List<int[]> changed)
            throws OrtException {
        int margin = margin();
        List<DbPostProcessor.Detected> found = new ArrayList<>();
        for (DbPostProcessor.Detected d : boxes) {
            if (!near(d.box().cy(), changed, margin / 2)) {
                found.add(d);
            }
        }
        rowsDetected = 0;
        for (int[] band : bands(changed, margin, height)) {
            OcrImage rows = new OcrImage(Arrays.copyOfRange(image.pixels(), band[0] * width, band[1] * width), width,
                    band[1] - band[0]);
            rowsDetected += band[1] - band[0];
            for (DbPostProcessor.Detected d : detector.detect(rows)) {
                RotatedBox b = d.box();
                RotatedBox moved = new RotatedBox(b.cx(), b.cy() + band[0], b.ux(), b.uy(), b.width(), b.height());
                if (near(moved.cy(), changed, margin / 2)) {
                    found.add(new DbPostProcessor.Detected(moved, d.score()));
                }
            }
        }
        return found;
    }

    /** Twice the tallest box of the previous call, within [MIN_MARGIN, MAX_MARGIN]. */
    private int margin() {
        double tallest = boxes.stream().mapToDouble(d -> d.box().shortSide()).max().orElse(0);
        return (int) Math.clamp(Math.ceil(2 * tallest), MIN_MARGIN, MAX_MARGIN);
    }

    /** Runs of changed rows, as [first, end) pairs. */
    private List<int[]> changed(OcrImage image) {
        List<int[]> runs = new ArrayList<>();
        int[] now = image.pixels();
        int start = -1;
        for (int y = 0; y < height; y++) {
            int from = y * width;
            boolean differs = Arrays.mismatch(now, from, from + width, previous, from, from + width) >= 0;
            if (differs && start < 0) {
                start = y;
            } else if (!differs && start >= 0) {
                runs.add(new int[] {start, y});
                start = -1;
            }
        }
        if (start >= 0) {
            runs.add(new int[] {start, height});
        }
        return runs;
    }

    private static int changedCount(List<int[]> runs) {
        return runs.stream().mapToInt(r -> r[1] - r[0]).sum();
    }

    /** The runs grown by {@code margin} rows on each side, merged where they meet, within the image. */
    static List<int[]> bands(List<int[]> runs, int margin, int height) {
        List<int[]> bands = new ArrayList<>();
        for (int[] r : runs) {
            int from = Math.max(0, r[0] - margin), to = Math.min(height, r[1] + margin);
            if (!bands.isEmpty() && bands.getLast()[1] >= from) {
                bands.getLast()[1] = Math.max(bands.getLast()[1], to);
            } else {
                bands.add(new int[] {from, to});
            }
        }
        return bands;
    }

    /** Whether row {@code y} lies within {@code distance} of a changed run. */
    private static boolean near(double y, List<int[]> runs, int distance) {
        for (int[] r : runs) {
            if (y >= r[0] - distance && y < r[1] + distance) {
                return true;
            }
        }
        return false;
    }

    private void remember(OcrImage image, List<DbPostProcessor.Detected> found) {
        int n = image.width() * image.height();
        if (previous == null || previous.length != n) {
            previous = new int[n];
        }
        System.arraycopy(image.pixels(), 0, previous, 0, n);
        width = image.width();
        height = image.height();
        boxes = List.copyOf(found);
    }
}
