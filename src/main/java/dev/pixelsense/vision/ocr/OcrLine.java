package dev.pixelsense.vision.ocr;

import dev.pixelsense.screen.Rect;
import java.util.List;

/**
 * A line of text (one detected box).
 *
 * @param text       what was read; words separated by single spaces
 * @param confidence mean probability of the characters read, 0-1
 * @param box        the line's corners in image pixels
 * @param words      the space-separated parts of {@code text} with boxes estimated from where
 *                   the recognizer emitted their characters (accurate to about a character)
 */
public record OcrLine(String text, float confidence, Quad box, List<OcrWord> words) {
    public OcrLine {
        words = List.copyOf(words);
    }

    /** The axis-aligned rectangle around {@link #box()}. */
    public Rect bounds() {
        return box.bounds();
    }
}
