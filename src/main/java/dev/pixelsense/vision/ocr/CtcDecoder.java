package dev.pixelsense.vision.ocr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy CTC decoding over PP-OCR's character list: class 0 is the CTC blank, classes 1..n are the
 * lines of {@code ppocr_keys_v1.txt} in order, and class n+1 is a space (PaddleOCR appends one when
 * its recognizer is used with spaces, as this model was trained). At each time step the most
 * probable class wins; repeats of the previous step and blanks are dropped.
 */
final class CtcDecoder {
    /** A decoded character: the time step where it was read and its probability. */
    record Char(String text, int step, float probability) {
    }

    private final String[] classes;

    CtcDecoder(List<String> keys) {
        classes = new String[keys.size() + 2];
        classes[0] = "";
        for (int i = 0; i < keys.size(); i++) {
            classes[i + 1] = keys.get(i);
        }
        classes[keys.size() + 1] = " ";
    }

    static CtcDecoder load(Path keysFile) {
        try {
            return new CtcDecoder(Files.readAllLines(keysFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the OCR character list " + keysFile + ": " + e.getMessage(), e);
        }
    }

    int classCount() {
        return classes.length;
    }

    /**
     * The characters of one sequence.
     *
     * @param probs  softmax outputs, {@code [.., steps, classCount]} flattened
     * @param offset where this sequence starts in {@code probs}
     * @param steps  time steps to read (steps beyond the crop's content are padding and skipped)
     */
    List<Char> decode(float[] probs, int offset, int steps) {
        int n = classes.length;
        List<Char> out = new ArrayList<>();
        int previous = 0;
        for (int t = 0; t < steps; t++) {
            int base = offset + t * n;
            int best = 0;
            float bestP = probs[base];
            for (int c = 1; c < n; c++) {
                float p = probs[base + c];
                if (p > bestP) {
                    bestP = p;
                    best = c;
                }
            }
            if (best != 0 && best != previous) {
                out.add(new Char(classes[best], t, bestP));
            }
            previous = best;
        }
        return out;
    }
}
