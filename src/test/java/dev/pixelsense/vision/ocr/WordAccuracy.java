package dev.pixelsense.vision.ocr;

import java.text.Normalizer;
import java.util.List;

/**
 * Word accuracy of OCR text against what was drawn: the share of drawn words found, in order, in
 * the text read (the longest common subsequence of the two word lists), so a missed, extra or
 * misread word costs one word and never shifts the rest.
 *
 * <p>Both sides are normalized the same way: Unicode NFKC (the Chinese-trained recognizer may emit
 * full-width forms such as {@code ：} for {@code :}, which NFKC maps to ASCII), whitespace runs
 * collapsed to one space. Case is kept: on a screen "Wireless" and "wireless" are different words,
 * and the recognizer is expected to get case right.
 */
final class WordAccuracy {
    private WordAccuracy() {
    }

    static List<String> words(String text) {
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
        return n.isEmpty() ? List.of() : List.of(n.split("\\s+"));
    }

    /** Words of {@code expected} found in order in {@code actual}. */
    static int correct(String expected, String actual) {
        List<String> e = words(expected), a = words(actual);
        int[][] lcs = new int[e.size() + 1][a.size() + 1];
        for (int i = 1; i <= e.size(); i++) {
            for (int j = 1; j <= a.size(); j++) {
                lcs[i][j] = e.get(i - 1).equals(a.get(j - 1)) ? lcs[i - 1][j - 1] + 1
                        : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
            }
        }
        return lcs[e.size()][a.size()];
    }
}
