package dev.pixelsense.vision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A {@code /vision/describe} answer: the model's text (describe tasks), OCR lines (read_text),
 * matching boxes (find), the image that was looked at, and where the time went.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DescribeResult(String task, String model, String answer, ImageInfo image, List<TextLine> lines,
                             List<TextLine> matches, Timings timings) {

    /**
     * @param width pixels of the image the model or OCR saw
     * @param sourceWidth pixels of the captured or uploaded image
     * @param x desktop origin of a capture (0 for uploads); boxes are in these coordinates
     */
    public record ImageInfo(String source, int width, int height, @JsonProperty("source_width") int sourceWidth,
                            @JsonProperty("source_height") int sourceHeight, int x, int y) {
    }

    /** A line of text and its box (in screen coordinates for captures, image pixels for uploads). */
    public record TextLine(String text, double confidence, int x, int y, int width, int height) {
    }

    public record Timings(@JsonProperty("capture_ms") double captureMs, @JsonProperty("preprocess_ms") double preprocessMs,
                          @JsonProperty("ocr_ms") double ocrMs, @JsonProperty("model_ms") double modelMs,
                          @JsonProperty("total_ms") double totalMs) {
    }
}
