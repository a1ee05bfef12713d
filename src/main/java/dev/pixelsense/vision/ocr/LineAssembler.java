package dev.pixelsense.vision.ocr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Readings to {@link OcrLine}s: text tidied, words split with their boxes, lines in reading order. */
final class LineAssembler {
    private LineAssembler() {
    }

    static List<OcrLine> lines(List<TextRecognizer.Read> reads, float minConfidence, int width, int height) {
        List<OcrLine> lines = new ArrayList<>();
        for (TextRecognizer.Read read : reads) {
            String text = read.text().strip().replaceAll("\\s+", " ");
            if (text.isEmpty() || read.confidence() < minConfidence) {
                continue;
            }
            lines.add(new OcrLine(text, read.confidence(), read.box().toQuad(width, height),
                    words(read, width, height)));
        }
        return readingOrder(lines);
    }

    /**
     * Words: glyphs between spaces. A word spans from half a character pitch before its first
     * glyph to half a pitch after its last (the recognizer places a glyph near its middle).
     */
    static List<OcrWord> words(TextRecognizer.Read read, int width, int height) {
        List<TextRecognizer.Glyph> glyphs = read.glyphs().stream().filter(g -> !g.text().isBlank()).toList();
        RotatedBox box = read.box();
        double pitch = glyphs.size() > 1
                ? (glyphs.getLast().at() - glyphs.getFirst().at()) / (glyphs.size() - 1)
                : box.width();
        List<OcrWord> words = new ArrayList<>();
        List<TextRecognizer.Glyph> word = new ArrayList<>();
        for (TextRecognizer.Glyph g : read.glyphs()) {
            if (g.text().isBlank()) {
                addWord(words, word, box, pitch, width, height);
                word.clear();
            } else {
                word.add(g);
            }
        }
        addWord(words, word, box, pitch, width, height);
        return words;
    }

    private static void addWord(List<OcrWord> words, List<TextRecognizer.Glyph> glyphs, RotatedBox box, double pitch,
                                int width, int height) {
        if (glyphs.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        double sum = 0;
        for (TextRecognizer.Glyph g : glyphs) {
            text.append(g.text());
            sum += g.probability();
        }
        double from = Math.max(0, glyphs.getFirst().at() - pitch / 2);
        double to = Math.min(box.width(), glyphs.getLast().at() + pitch / 2);
        double mid = (from + to) / 2 - box.width() / 2;
        RotatedBox part = new RotatedBox(box.cx() + mid * box.ux(), box.cy() + mid * box.uy(), box.ux(), box.uy(),
                Math.max(1, to - from), box.height());
        words.add(new OcrWord(text.toString(), (float) (sum / glyphs.size()), part.toQuad(width, height).bounds()));
    }

    /**
     * Top to bottom; lines whose vertical centres are within half a line height of a row's first
     * line share its row and go left to right.
     */
    static List<OcrLine> readingOrder(List<OcrLine> lines) {
        List<OcrLine> byY = new ArrayList<>(lines);
        byY.sort(Comparator.comparingDouble(LineAssembler::centreY));
        List<OcrLine> out = new ArrayList<>(lines.size());
        int i = 0;
        while (i < byY.size()) {
            OcrLine first = byY.get(i);
            double tolerance = first.bounds().height() / 2.0;
            int j = i + 1;
            while (j < byY.size() && centreY(byY.get(j)) - centreY(first) <= tolerance) {
                j++;
            }
            List<OcrLine> row = new ArrayList<>(byY.subList(i, j));
            row.sort(Comparator.comparingInt(l -> l.bounds().x()));
            out.addAll(row);
            i = j;
        }
        return out;
    }

    private static double centreY(OcrLine line) {
        return line.bounds().y() + line.bounds().height() / 2.0;
    }
}
