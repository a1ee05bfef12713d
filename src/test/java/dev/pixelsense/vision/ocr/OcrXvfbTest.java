package dev.pixelsense.vision.ocr;

import dev.pixelsense.screen.Frame;
import dev.pixelsense.screen.Rect;
import dev.pixelsense.screen.Screen;
import dev.pixelsense.screen.Target;
import dev.pixelsense.testing.ChildJvm;
import dev.pixelsense.testing.Xvfb;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OCR on text an application rendered in real X windows: {@link SceneWindow} paints the scenes of
 * {@link OcrAccuracyTest} (fonts, 12-32 px, light and dark) with its windows' own Graphics on a
 * real Xvfb; the screen is captured as the agent and read_text capture it, then read. Same bars:
 * 95% of the words, lines boxed within a few pixels of where they were drawn.
 */
class OcrXvfbTest {
    private static final String[][] WINDOWS = {{"SansSerif", "LIGHT"}, {"Monospaced", "DARK"}, {"Serif", "DARK"},
        {"Dialog", "LIGHT"}};
    private static Xvfb xvfb;
    private static Process windows;
    private static Ocr ocr;
    private static final Map<Integer, OcrAccuracyTest.Scene> scenes = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        xvfb = Xvfb.start("-screen", "0", "2560x1440x24");
        String[] args = new String[WINDOWS.length];
        for (int i = 0; i < WINDOWS.length; i++) {
            Rect r = bounds(i);
            args[i] = WINDOWS[i][0] + ":" + WINDOWS[i][1] + ":" + r.x() + ":" + r.y();
        }
        windows = ChildJvm.startAndAwait(Map.of("DISPLAY", xvfb.display()), "READY", SceneWindow.class.getName(), args);
        ocr = Ocr.open(OcrTestSupport.models());
    }

    @AfterAll
    static void stop() throws Exception {
        if (ocr != null) {
            ocr.close();
        }
        if (windows != null) {
            windows.destroyForcibly().waitFor();
        }
        xvfb.close();
    }

    private static Rect bounds(int i) {
        return new Rect((i % 2) * 1280, (i / 2) * 720, 1280, 720);
    }

    static Stream<Arguments> windows() {
        return Stream.of(0, 1, 2, 3).map(i -> Arguments.of(i, WINDOWS[i][0] + " " + WINDOWS[i][1]));
    }

    /** The window's scene as drawn (positions from the same metrics) and the OCR of its capture. */
    private static OcrAccuracyTest.Scene scene(int i) {
        return scenes.computeIfAbsent(i, k -> {
            try (Screen screen = Screen.open(xvfb.display(), Screen.Backend.AUTO)) {
                Frame frame = screen.capture(Target.region(bounds(i)));
                TextScene drawn = TextScene.columns(WINDOWS[i][0], TextScene.Theme.valueOf(WINDOWS[i][1]));
                return new OcrAccuracyTest.Scene(drawn, ocr.recognize(frame.pixels(), frame.width(), frame.height()));
            }
        });
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("windows")
    void should_read_at_least_95_percent_of_the_words_in_a_real_window(int i, String label) {
        OcrAccuracyTest.assertReadsWords("Xvfb window " + label, scene(i));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("windows")
    void should_box_each_line_where_the_window_drew_it(int i, String label) {
        OcrAccuracyTest.assertBoxesLines("Xvfb window " + label, scene(i));
    }

    @Test
    void should_capture_what_the_window_drew_not_an_empty_screen() {
        // guards the two tests above against passing on a scene that was never on screen
        assertThatDrawn(scene(0));
    }

    private static void assertThatDrawn(OcrAccuracyTest.Scene scene) {
        org.assertj.core.api.Assertions.assertThat(scene.result().lines()).hasSizeGreaterThan(20);
    }
}
