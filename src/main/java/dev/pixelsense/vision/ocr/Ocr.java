package dev.pixelsense.vision.ocr;

import java.awt.image.BufferedImage;

/**
 * On-device OCR: the text of an image as lines (and words) with their boxes in image pixels.
 *
 * <pre>{@code
 * try (Ocr ocr = Ocr.open(OcrModels.fromStore(px.store()))) {   // after `pixelsense pull ppocr-v4`
 *     for (OcrLine line : ocr.recognize(image).lines()) {
 *         System.out.println(line.bounds() + " " + line.text());
 *     }
 * }
 * }</pre>
 *
 * <p>The implementation is PaddleOCR's PP-OCRv4 (detection, then recognition; no orientation
 * classifier: screen text is upright) on ONNX Runtime's CPU provider. Opening loads both models
 * once (a few hundred milliseconds); keep the instance and reuse it.
 *
 * <p><b>Threading:</b> thread-safe. One call already uses every core: detection runs on
 * {@link OcrOptions#threads()} ONNX Runtime threads and recognition on a pool of as many workers
 * (the processor count by default), so calls are serialized: concurrent callers wait their turn
 * instead of fighting over the cores, which would make every call slower. Calls block; they may
 * run on virtual threads.
 * {@link #close()} waits for a running call, frees the native sessions and is idempotent; calls
 * after it fail with {@link IllegalStateException}.
 */
public interface Ocr extends AutoCloseable {

    /** PP-OCRv4 from these files, with default options. */
    static Ocr open(OcrModels models) {
        return open(models, OcrOptions.defaults());
    }

    /**
     * PP-OCRv4 from these files.
     *
     * @throws dev.pixelsense.error.UnavailableException when a file is missing or not a model
     */
    static Ocr open(OcrModels models, OcrOptions options) {
        return PpOcrV4.open(models, options);
    }

    /**
     * Reads an image given as {@code 0xRRGGBB} ints, row-major, {@code width} per row (the layout
     * of screen captures and {@code TYPE_INT_RGB} images; bits 24-31 are ignored). The array is
     * only read.
     */
    OcrResult recognize(int[] pixels, int width, int height);

    /** Reads an image; {@code TYPE_INT_RGB} images are read in place, others converted first. */
    default OcrResult recognize(BufferedImage image) {
        OcrImage pixels = OcrImage.of(image);
        return recognize(pixels.pixels(), pixels.width(), pixels.height());
    }

    @Override
    void close();
}
