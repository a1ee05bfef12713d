package dev.pixelsense.vision.ocr;

/**
 * How OCR runs. Start from {@link #defaults()} and change what you need with the {@code with...}
 * methods.
 *
 * @param maxSide         detection sees the image downscaled so its longer side is at most this
 *                        (default 1920: a 1080p screen at full resolution, where 12 px text is still
 *                        legible to the detector; PaddleOCR's 960 for photos loses small UI fonts)
 * @param binaryThreshold probability above which a detection-map pixel is text (default 0.3)
 * @param boxThreshold    mean probability a box needs to be kept (default 0.6)
 * @param unclipRatio     how far a detected region is grown back to the text's size (default 1.5,
 *                        PaddleOCR's value for this detector: the box then fits the glyphs within a
 *                        few pixels; the recognizer reads a slightly larger crop, see
 *                        {@code TextRecognizer})
 * @param minBoxSize      boxes whose short side is smaller, in detection-map pixels, are dropped
 *                        (default 3)
 * @param maxCandidates   at most this many regions are examined (default 1000)
 * @param batchSize       text lines recognized per inference call, grouped by width (default 1:
 *                        on this project's 2-core AVX-512 machine a batch of 8 lines of 320 columns
 *                        cost 60 ms of CPU per line against 40 ms one at a time)
 * @param minConfidence   lines read with a lower mean character probability are dropped (default 0.5)
 * @param cacheSize       readings of this many recent crops are kept, so unchanged lines are not
 *                        recognized again on the next call, and only the rows that changed since
 *                        the previous call are detected again ({@code ChangedRows}) (default 4096;
 *                        0 turns both off: every call reads the whole image)
 * @param threads         detection's ONNX Runtime threads and recognition's workers (default: the
 *                        available processors)
 * @param int8            which models run as int8 versions made from the published ones on first
 *                        use ({@code OcrQuantization}): default {@link Int8#RECOGNIZER} (1.7-1.9x
 *                        faster per line on this project's VNNI machine, the same words read);
 *                        {@link Int8#BOTH} also the detector (1.7x, but its boxes grow up to 4 px
 *                        and a few more words are missed); {@link Int8#OFF} runs the float models
 */
public record OcrOptions(int maxSide, float binaryThreshold, float boxThreshold, float unclipRatio, int minBoxSize,
                         int maxCandidates, int batchSize, float minConfidence, int cacheSize, int threads,
                         Int8 int8) {
    /** Which models run quantized to int8. */
    public enum Int8 { OFF, RECOGNIZER, BOTH }

    public OcrOptions {
        if (maxSide < 32 || maxSide > 8192) {
            throw new IllegalArgumentException("OCR maxSide must be between 32 and 8192 pixels, got " + maxSide);
        }
        if (!(binaryThreshold > 0 && binaryThreshold < 1) || !(boxThreshold > 0 && boxThreshold < 1)) {
            throw new IllegalArgumentException("OCR thresholds are probabilities between 0 and 1 (exclusive), got "
                    + binaryThreshold + " and " + boxThreshold);
        }
        if (!(unclipRatio >= 0 && unclipRatio <= 5)) {
            throw new IllegalArgumentException("OCR unclipRatio must be between 0 and 5, got " + unclipRatio);
        }
        if (minBoxSize < 1 || maxCandidates < 1 || batchSize < 1 || batchSize > 256) {
            throw new IllegalArgumentException("OCR minBoxSize and maxCandidates must be at least 1 and batchSize "
                    + "between 1 and 256, got " + minBoxSize + ", " + maxCandidates + ", " + batchSize);
        }
        if (!(minConfidence >= 0 && minConfidence < 1)) {
            throw new IllegalArgumentException("OCR minConfidence must be between 0 (keep all) and 1, got " + minConfidence);
        }
        if (cacheSize < 0) {
            throw new IllegalArgumentException("OCR cacheSize must be 0 (off) or more, got " + cacheSize);
        }
        if (int8 == null) {
            throw new IllegalArgumentException("OCR int8 must be OFF, RECOGNIZER or BOTH, got null");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("OCR threads must be at least 1, got " + threads);
        }
    }

    public static OcrOptions defaults() {
        return new OcrOptions(1920, 0.3f, 0.6f, 1.5f, 3, 1000, 1, 0.5f, 4096,
                Runtime.getRuntime().availableProcessors(), Int8.RECOGNIZER);
    }

    public OcrOptions withMaxSide(int value) {
        return new OcrOptions(value, binaryThreshold, boxThreshold, unclipRatio, minBoxSize, maxCandidates, batchSize,
                minConfidence, cacheSize, threads, int8);
    }

    public OcrOptions withBatchSize(int value) {
        return new OcrOptions(maxSide, binaryThreshold, boxThreshold, unclipRatio, minBoxSize, maxCandidates, value,
                minConfidence, cacheSize, threads, int8);
    }

    public OcrOptions withThreads(int value) {
        return new OcrOptions(maxSide, binaryThreshold, boxThreshold, unclipRatio, minBoxSize, maxCandidates, batchSize,
                minConfidence, cacheSize, value, int8);
    }

    public OcrOptions withCacheSize(int value) {
        return new OcrOptions(maxSide, binaryThreshold, boxThreshold, unclipRatio, minBoxSize, maxCandidates, batchSize,
                minConfidence, value, threads, int8);
    }

    public OcrOptions withUnclipRatio(float value) {
        return new OcrOptions(maxSide, binaryThreshold, boxThreshold, value, minBoxSize, maxCandidates, batchSize,
                minConfidence, cacheSize, threads, int8);
    }

    public OcrOptions withInt8(Int8 value) {
        return new OcrOptions(maxSide, binaryThreshold, boxThreshold, unclipRatio, minBoxSize, maxCandidates, batchSize,
                minConfidence, cacheSize, threads, value);
    }
}
