package dev.pixelsense.vision.ocr;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What OCR read in an image.
 *
 * @param width       the image's width in pixels (boxes are in this image's pixels)
 * @param height      the image's height
 * @param lines       the text lines in reading order: top to bottom, then left to right among
 *                    lines sharing a row (columns of a UI come out row by row)
 * @param detection   time spent finding the boxes (pre-processing, network, post-processing)
 * @param recognition time spent reading them
 */
public record OcrResult(int width, int height, List<OcrLine> lines, Duration detection, Duration recognition) {
    public OcrResult {
        lines = List.copyOf(lines);
    }

    /** The lines' text, one per line. */
    public String text() {
        return lines.stream().map(OcrLine::text).collect(Collectors.joining("\n"));
    }
}
