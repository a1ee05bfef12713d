package dev.pixelsense.vision.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixelsense.config.StoreConfig;
import dev.pixelsense.error.UnavailableException;
import dev.pixelsense.screen.Rect;
import dev.pixelsense.store.ModelStore;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link Ocr} contract on the real PP-OCRv4 models. */
class OcrTest {
    static Ocr ocr;

    @BeforeAll
    static void open() throws Exception {
        ocr = Ocr.open(OcrTestSupport.models());
    }

    @AfterAll
    static void close() {
        ocr.close();
    }

    static BufferedImage drawn(int width, int height, int type, double degrees, String text, int size) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        if (type == BufferedImage.TYPE_INT_RGB) {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
        }
        g.setColor(new Color(0x202020));
        g.setFont(new Font("SansSerif", Font.PLAIN, size));
        g.rotate(Math.toRadians(degrees), width / 2.0, height / 2.0);
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, (width - w) / 2, height / 2 + size / 3);
        g.dispose();
        return image;
    }

    @Test
    void should_read_words_with_boxes_inside_their_line() {
        OcrResult result = ocr.recognize(drawn(500, 80, BufferedImage.TYPE_INT_RGB, 0, "Open recent project", 24));

        OcrLine line = result.lines().getFirst();
        assertThat(result.text()).isEqualTo("Open recent project");
        assertThat(line.confidence()).isGreaterThan(0.9f);
        assertThat(line.words()).extracting(OcrWord::text).containsExactly("Open", "recent", "project");
        Rect b = line.bounds();
        int previousRight = b.x();
        for (OcrWord w : line.words()) {
            assertThat(w.bounds().x()).isGreaterThanOrEqualTo(previousRight - 3);
            assertThat(w.bounds().right()).isLessThanOrEqualTo(b.right());
            assertThat(w.bounds().y()).isEqualTo(b.y());
            previousRight = w.bounds().right();
        }
        assertThat(result.width()).isEqualTo(500);
        assertThat(result.detection()).isPositive();
        assertThat(result.recognition()).isPositive();
    }

    @Test
    void should_read_slanted_text_along_its_slant() {
        OcrResult result = ocr.recognize(drawn(600, 200, BufferedImage.TYPE_INT_RGB, -8, "Network connection restored", 24));

        assertThat(result.text()).isEqualTo("Network connection restored");
        Quad box = result.lines().getFirst().box();
        assertThat(box.topLeft().y() - box.topRight().y()).as("right end higher").isGreaterThan(20);
    }

    @Test
    void should_read_text_running_top_to_bottom() {
        OcrResult result = ocr.recognize(drawn(120, 500, BufferedImage.TYPE_INT_RGB, 90, "Quarterly revenue", 24));

        assertThat(result.text()).isEqualTo("Quarterly revenue");
        assertThat(result.lines().getFirst().bounds().height()).isGreaterThan(150);
    }

    @Test
    void should_read_transparent_images_as_if_over_white() {
        OcrResult result = ocr.recognize(drawn(400, 60, BufferedImage.TYPE_INT_ARGB, 0, "Export as PDF", 20));

        assertThat(result.text()).isEqualTo("Export as PDF");
    }

    @Test
    void should_find_nothing_in_blank_or_tiny_images() {
        assertThat(ocr.recognize(new int[640 * 480], 640, 480).lines()).isEmpty();
        assertThat(ocr.recognize(new int[] {0xFFFFFF}, 1, 1).lines()).isEmpty();
        assertThatThrownBy(() -> ocr.recognize(new int[10], 5, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 25 pixels");
    }

    @Test
    void should_serve_concurrent_callers_one_at_a_time_with_the_same_answers() throws Exception {
        BufferedImage image = drawn(500, 80, BufferedImage.TYPE_INT_RGB, 0, "Sort by date modified", 20);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> reads = pool.invokeAll(List.<Callable<String>>of(() -> ocr.recognize(image).text(),
                    () -> ocr.recognize(image).text(), () -> ocr.recognize(image).text()));
            for (Future<String> read : reads) {
                assertThat(read.get()).isEqualTo("Sort by date modified");
            }
        }
    }

    @Test
    void should_read_a_changed_line_again_and_take_unchanged_ones_from_the_cache() {
        TextScene scene = new TextScene(700, 120, TextScene.Theme.LIGHT);
        scene.text("Storage almost full", "Dialog", 20, 20, 20, TextScene.Theme.LIGHT);
        scene.text("Battery 87% remaining", "Dialog", 20, 20, 70, TextScene.Theme.LIGHT);
        assertThat(ocr.recognize(scene.image()).text()).isEqualTo("Storage almost full\nBattery 87% remaining");

        scene.fill(20, 70, 400, 40, TextScene.Theme.LIGHT);
        scene.text("Battery 86% remaining", "Dialog", 20, 20, 70, TextScene.Theme.LIGHT); // one digit differs

        assertThat(ocr.recognize(scene.image()).text()).isEqualTo("Storage almost full\nBattery 86% remaining");
    }

    @Test
    void should_detect_only_the_rows_that_changed_and_find_what_a_whole_reading_finds() throws Exception {
        TextScene scene = TextScene.screen1080();
        OcrResult before = ocr.recognize(scene.image());
        assertThat(((PpOcrV4) ocr).rowsDetectedLastCall()).isEqualTo(-1);

        // a notice replaces two lines of the Serif column
        scene.fill(980, 500, 520, 44, TextScene.Theme.LIGHT);
        scene.text("Deployment finished at 14:32", "Serif", 16, 996, 504, TextScene.Theme.LIGHT);
        OcrResult after = ocr.recognize(scene.image());

        int rows = ((PpOcrV4) ocr).rowsDetectedLastCall();
        assertThat(rows).as("rows detected again").isBetween(44, 44 + 2 * ChangedRows.MAX_MARGIN);
        assertThat(after.text()).contains("Deployment finished at 14:32");
        List<OcrLine> replaced = before.lines().stream().filter(l -> l.bounds().x() >= 980 && l.bounds().x() < 1500
                && l.bounds().y() + l.bounds().height() / 2 >= 500 && l.bounds().y() + l.bounds().height() / 2 < 544)
                .toList();
        assertThat(replaced).isNotEmpty();
        for (OcrLine gone : replaced) {
            assertThat(after.lines()).noneMatch(l -> l.text().equals(gone.text()) && l.bounds().equals(gone.bounds()));
        }
        // far from the change, the boxes are the previous call's, as they were
        List<OcrLine> far = before.lines().stream().filter(l -> Math.abs(l.bounds().y() - 520) > 300).toList();
        assertThat(far).hasSizeGreaterThan(40);
        for (OcrLine line : far) {
            assertThat(after.lines()).contains(line);
        }
        // and what it found matches reading the whole image again, within detection's own noise
        // (a whole reading moves boxes by 1-3 px even far from a change: the network sees wide)
        OcrResult whole;
        try (Ocr fresh = Ocr.open(OcrTestSupport.models(), OcrOptions.defaults().withCacheSize(0))) {
            whole = fresh.recognize(scene.image());
        }
        assertThat(after.lines()).hasSameSizeAs(whole.lines());
        long sameText = 0;
        for (OcrLine line : whole.lines()) {
            OcrLine match = after.lines().stream().filter(l -> near(l.bounds(), line.bounds(), 4)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line where a whole reading found " + line.text() + " "
                            + line.bounds()));
            sameText += match.text().equals(line.text()) ? 1 : 0;
        }
        assertThat(sameText).as("lines read the same").isGreaterThanOrEqualTo(whole.lines().size() * 97 / 100);

        ocr.recognize(scene.image());
        assertThat(((PpOcrV4) ocr).rowsDetectedLastCall()).as("nothing changed").isZero();
    }

    private static boolean near(Rect a, Rect b, int px) {
        return Math.abs(a.x() - b.x()) <= px && Math.abs(a.y() - b.y()) <= px && Math.abs(a.width() - b.width()) <= px
                && Math.abs(a.height() - b.height()) <= px;
    }

    @Test
    void should_close_once_and_refuse_calls_afterwards() throws Exception {
        Ocr own = Ocr.open(OcrTestSupport.models());
        own.close();
        own.close();

        assertThatThrownBy(() -> own.recognize(new int[4], 2, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void should_say_how_to_get_the_models_when_they_are_not_pulled(@TempDir Path dir) {
        try (ModelStore empty = new ModelStore(new StoreConfig(dir, List.of()), List.of(), Map.<String, String>of()::get)) {
            assertThatThrownBy(() -> OcrModels.fromStore(empty)).isInstanceOf(UnavailableException.class)
                    .hasMessage("the OCR models are not pulled yet: run 'pixelsense pull ppocr-v4'");
        }
        assertThatThrownBy(() -> Ocr.open(OcrModels.inDirectory(dir))).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("OCR model file not found: " + dir.resolve("ch_PP-OCRv4_det_infer.onnx"));
    }
}
