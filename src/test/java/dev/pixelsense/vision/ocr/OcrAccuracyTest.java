package dev.pixelsense.vision.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.screen.Rect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PP-OCRv4 on text drawn with Java2D like a UI: three columns of lines in the JDK's logical fonts
 * (DejaVu here), 12 to 32 px, dark-on-light and light-on-dark, 1280x720 each. The drawn position
 * of every line comes from its FontMetrics.
 */
class OcrAccuracyTest {
    static Ocr ocr;
    static final Map<String, Scene> scenes = new ConcurrentHashMap<>();

    record Scene(TextScene drawn, OcrResult result) {
    }

    @BeforeAll
    static void open() throws Exception {
        ocr = Ocr.open(OcrTestSupport.models());
    }

    @AfterAll
    static void close() {
        ocr.close();
    }

    static Stream<Arguments> fontsAndThemes() {
        return Stream.of("SansSerif", "Serif", "Monospaced", "Dialog").flatMap(font ->
                Stream.of(TextScene.Theme.values()).map(theme -> Arguments.of(font, theme)));
    }

    static Scene scene(String font, TextScene.Theme theme) {
        return scenes.computeIfAbsent(font + theme, k -> {
            TextScene s = TextScene.columns(font, theme);
            return new Scene(s, ocr.recognize(s.image()));
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fontsAndThemes")
    void should_read_at_least_95_percent_of_the_words(String font, TextScene.Theme theme) {
        assertReadsWords(font + " " + theme, scene(font, theme));
    }

    /** At least 95% of the drawn words are read on their lines. */
    static void assertReadsWords(String label, Scene scene) {
        int words = 0, correct = 0;
        List<String> misread = new ArrayList<>();
        for (TextScene.Drawn d : scene.drawn().drawn()) {
            String read = OcrTestSupport.textOn(d, scene.result());
            int ok = WordAccuracy.correct(d.text(), read);
            words += WordAccuracy.words(d.text()).size();
            correct += ok;
            if (ok < WordAccuracy.words(d.text()).size()) {
                misread.add(d.size() + "px '" + d.text() + "' -> '" + read + "'");
            }
        }
        double accuracy = (double) correct / words;
        System.out.printf("OCR %s: %d/%d words (%.1f%%), %d lines read, detection %d ms, recognition %d ms; misread: %s%n",
                label, correct, words, 100 * accuracy, scene.result().lines().size(),
                scene.result().detection().toMillis(), scene.result().recognition().toMillis(), misread);
        assertThat(accuracy).as("word accuracy; misread: %s", misread).isGreaterThanOrEqualTo(0.95);
    }

    /**
     * Each line is found as one box, and its edges are within a few pixels of the drawn line: left
     * and right of the pen start and advance width, top and bottom of the ascent and descent lines
     * (FontMetrics): 2 px + size/8 across (side bearings grow with the size), 3 px + size/4 up and
     * down (the box hugs the ink, and the ascent line is above the capitals by about a sixth of the
     * size: the font's internal leading; lines without descenders end at the baseline).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fontsAndThemes")
    void should_box_each_line_within_a_few_pixels_of_where_it_was_drawn(String font, TextScene.Theme theme) {
        assertBoxesLines(font + " " + theme, scene(font, theme));
    }

    /** Each drawn line is one box within a few pixels of it (see above). */
    static void assertBoxesLines(String label, Scene scene) {
        List<String> off = new ArrayList<>();
        int worstX = 0, worstY = 0;
        for (TextScene.Drawn d : scene.drawn().drawn()) {
            List<OcrLine> found = OcrTestSupport.linesOn(d, scene.result());
            if (found.size() != 1) {
                off.add("'" + d.text() + "' found as " + found.size() + " boxes");
                continue;
            }
            Rect b = found.getFirst().bounds();
            int dx = Math.max(Math.abs(b.x() - d.x()), Math.abs(b.right() - d.right()));
            int dy = Math.max(Math.abs(b.y() - d.top()), Math.abs(b.bottom() - d.bottom()));
            worstX = Math.max(worstX, dx);
            worstY = Math.max(worstY, dy);
            if (dx > 2 + d.size() / 8 || dy > 3 + d.size() / 4) {
                off.add(d.size() + "px '" + d.text() + "' drawn " + d.x() + "," + d.top() + "," + d.width() + ","
                        + d.height() + " boxed " + b);
            }
        }
        System.out.printf("OCR boxes %s: worst horizontal %d px, worst vertical %d px%n", label, worstX, worstY);
        assertThat(off).isEmpty();
    }
}
