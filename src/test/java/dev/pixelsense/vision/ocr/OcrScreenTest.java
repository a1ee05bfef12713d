package dev.pixelsense.vision.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A whole 1920x1080 screen-like image: word accuracy, and the time detection and recognition take
 * (printed, not asserted: this machine is shared; bench/ocr measures properly).
 */
class OcrScreenTest {
    @Test
    void should_read_a_full_hd_screen_and_print_how_long_it_took() throws Exception {
        TextScene scene = TextScene.screen1080();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Ocr ocr = Ocr.open(OcrTestSupport.models())) {
            ocr.recognize(TextScene.columns("Dialog", TextScene.Theme.DARK).image()); // warm-up
            long cpu = os.getProcessCpuTime();
            OcrResult result = ocr.recognize(scene.image());
            cpu = os.getProcessCpuTime() - cpu;
            OcrResult again = ocr.recognize(scene.image()); // every line from the recognition cache

            int words = 0, correct = 0;
            for (TextScene.Drawn d : scene.drawn()) {
                words += WordAccuracy.words(d.text()).size();
                correct += WordAccuracy.correct(d.text(), OcrTestSupport.textOn(d, result));
            }
            System.out.printf("OCR 1920x1080 screen: %d lines, %d/%d words right (%.1f%%); detection %d ms, "
                    + "recognition %d ms, process CPU %d ms, load average %.1f on %d cores; the same screen again: "
                    + "detection %d ms, recognition %d ms%n", result.lines().size(), correct, words,
                    100.0 * correct / words, result.detection().toMillis(), result.recognition().toMillis(),
                    cpu / 1_000_000, os.getSystemLoadAverage(), os.getAvailableProcessors(),
                    again.detection().toMillis(), again.recognition().toMillis());
            assertThat((double) correct / words).isGreaterThanOrEqualTo(0.95);
            assertThat(again.lines()).isEqualTo(result.lines());
        }
    }
}
