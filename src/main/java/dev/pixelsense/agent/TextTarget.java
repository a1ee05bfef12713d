package dev.pixelsense.agent;

import dev.pixelsense.screen.Rect;
import dev.pixelsense.vision.ocr.OcrLine;
import dev.pixelsense.vision.ocr.OcrWord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * click_text's grounding: where a text shows on the screen, from OCR lines. A match covers the
 * words it overlaps (so "Submit" in "Cancel Submit" is the second word's box, not the line's); a
 * match on whole words ("Save" in "Save as") beats one inside a word ("Save" in "Unsaved") — if any
 * whole-word match exists, only those count. Candidates come in reading order: top to bottom,
 * then left to right within a row.
 */
final class TextTarget {
    private TextTarget() {}

    /** One place the text shows, in frame pixels. */
    record Candidate(String line, Rect box, boolean wholeWords) {
    }

    static List<Candidate> find(List<OcrLine> lines, String text) {
        String needle = normalize(text);
        List<Candidate> all = new ArrayList<>();
        for (OcrLine line : lines) {
            List<OcrWord> words = line.words();
            if (words.isEmpty()) {
                String hay = normalize(line.text());
                for (int at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
                    all.add(new Candidate(line.text(), line.bounds(), hay.equals(needle)));
                }
                continue;
            }
            // the line as its words joined by one space, remembering where each word starts
            StringBuilder joined = new StringBuilder();
            int[] starts = new int[words.size()];
            int[] ends = new int[words.size()];
            for (int i = 0; i < words.size(); i++) {
                if (i > 0) {
                    joined.append(' ');
                }
                starts[i] = joined.length();
                joined.append(normalize(words.get(i).text()));
                ends[i] = joined.length();
            }
            String hay = joined.toString();
            for (int at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
                int end = at + needle.length();
                Rect box = null;
                int first = -1;
                int last = -1;
                for (int i = 0; i < words.size(); i++) {
                    if (starts[i] < end && ends[i] > at) {
                        box = box == null ? words.get(i).bounds() : box.union(words.get(i).bounds());
                        first = first < 0 ? i : first;
                        last = i;
                    }
                }
                boolean whole = first >= 0 && starts[first] == at && ends[last] == end;
                all.add(new Candidate(line.text(), box == null ? line.bounds() : box, whole));
            }
        }
        List<Candidate> chosen = all.stream().anyMatch(Candidate::wholeWords)
                ? all.stream().filter(Candidate::wholeWords).toList() : all;
        return chosen.stream().sorted(readingOrder()).toList();
    }

    private static Comparator<Candidate> readingOrder() {
        // same row when the vertical centres are within half a box height
        return (a, b) -> {
            double ca = a.box().y() + a.box().height() / 2.0;
            double cb = b.box().y() + b.box().height() / 2.0;
            if (Math.abs(ca - cb) > Math.min(a.box().height(), b.box().height()) / 2.0) {
                return Double.compare(ca, cb);
            }
            return Integer.compare(a.box().x(), b.box().x());
        };
    }

    private static String normalize(String s) {
        return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
