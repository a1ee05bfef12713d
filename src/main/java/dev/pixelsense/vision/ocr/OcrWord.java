package dev.pixelsense.vision.ocr;

import dev.pixelsense.screen.Rect;

/**
 * A word of a line: text without spaces, the mean probability of its characters, and an estimated
 * axis-aligned box in image pixels.
 */
public record OcrWord(String text, float confidence, Rect bounds) {
}
