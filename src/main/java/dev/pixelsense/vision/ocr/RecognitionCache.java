package dev.pixelsense.vision.ocr;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Readings of recent crops, so a line that did not change between two calls (most of a screen,
 * from one step of an agent to the next) is not recognized again. The key is what decides the
 * recognizer's input: a 64-bit hash of the source pixels under the crop and the crop's size, angle
 * and sub-pixel position; equal keys give the same input tensor, so the same reading. Least
 * recently used entries go first. Used from one thread at a time (the caller of a recognition).
 */
final class RecognitionCache {
    record Key(long hash, long geometry) {
    }

    private final int capacity;
    private final LinkedHashMap<Key, TextRecognizer.Read> entries;

    RecognitionCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, TextRecognizer.Read> eldest) {
                return size() > RecognitionCache.this.capacity;
            }
        };
    }

    boolean enabled() {
        return capacity > 0;
    }

    TextRecognizer.Read get(Key key) {
        return entries.get(key);
    }

    void put(Key key, TextRecognizer.Read read) {
        if (capacity > 0) {
            entries.put(key, read);
        }
    }

    static Key key(OcrImage image, RotatedBox crop, int width) {
        double[] c = crop.corners();
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = Integer.MIN_VALUE, y1 = Integer.MIN_VALUE;
        for (int i = 0; i < 4; i++) { // every pixel bilinear sampling may touch
            x0 = Math.min(x0, (int) Math.floor(c[2 * i]));
            x1 = Math.max(x1, (int) Math.ceil(c[2 * i]));
            y0 = Math.min(y0, (int) Math.floor(c[2 * i + 1]));
            y1 = Math.max(y1, (int) Math.ceil(c[2 * i + 1]));
        }
        x0 = Math.clamp(x0, 0, image.width() - 1);
        x1 = Math.clamp(x1, 0, image.width() - 1);
        y0 = Math.clamp(y0, 0, image.height() - 1);
        y1 = Math.clamp(y1, 0, image.height() - 1);
        long h = 0x9E3779B97F4A7C15L ^ ((long) (x1 - x0) << 32 | (y1 - y0));
        int[] p = image.pixels();
        for (int y = y0; y <= y1; y++) {
            int row = y * image.width();
            for (int x = x0; x <= x1; x++) {
                h = mix(h ^ (p[row + x] & 0xFFFFFF));
            }
        }
        // where the crop sits relative to the pixel grid, its size and direction, to 1/16 pixel
        long geometry = mix(Math.round((c[0] - x0) * 16)) ^ mix(Math.round((c[1] - y0) * 16) + 1)
                ^ mix(Math.round(crop.width() * 16) + 2) ^ mix(Math.round(crop.height() * 16) + 3)
                ^ mix(Math.round(crop.ux() * 4096) + 4) ^ mix(Math.round(crop.uy() * 4096) + 5) ^ mix(width + 6L);
        return new Key(h, geometry);
    }

    /** SplitMix64's finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
