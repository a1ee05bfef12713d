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
     * The characters of one sequence, from the most probable class at each time step (the
     * recognizer's {@code ArgMax} and {@code ReduceMax} outputs, see {@link TextRecognizer#withBestClass}).
     *
     * @param best   the winning class per step, {@code [.., steps]} flattened
     * @param bestP  its probability per step, laid out as {@code best}
     * @param offset where this sequence starts
     * @param steps  time steps to read (steps beyond the crop's content are padding and skipped)
     */
    List<Char> decode(long[] best, float[] bestP, int offset, int steps) {
        List<Char> out = new ArrayList<>();
        int previous = 0;
        for (int t = 0; t < steps; t++) {
            int c = (int) best[offset + t];
            if (c < 0 || c >= classes.length) {
                throw new IllegalStateException("the OCR recognizer gave class " + c + " but the character list has "
                        + classes.length + ": the model and ppocr_keys_v1.txt do not belong together");
            }
            if (c != 0 && c != previous) {
                out.add(new Char(classes[c], t, bestP[offset + t]));
            }
            previous = c;
        }
        return out;
    }
}
