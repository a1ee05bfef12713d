package dev.pixelsense.screen;

import static dev.pixelsense.testing.PatternWindow.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.NotFoundException;
import dev.pixelsense.testing.ChildJvm;
import dev.pixelsense.testing.PatternWindow;
import dev.pixelsense.testing.Xvfb;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture under a real two-monitor Xvfb (Xinerama; Xvfb stacks both heads at the origin), with a
 * window of known pixels covering the desktop, drawn by another JVM.
 */
class ScreenCaptureTest {
    private static Xvfb xvfb;
    private static Process window;

    @TempDir
    Path dir;

    @BeforeAll
    static void startDisplay() throws Exception {
        xvfb = Xvfb.start("+xinerama", "-screen", "0", "1920x1080x24", "-screen", "1", "1280x1024x24");
        window = ChildJvm.startAndAwait(Map.of("DISPLAY", xvfb.display()), "READY", PatternWindow.class.getName(),
                "0,0,1920,1080");
    }

    @AfterAll
    static void stopDisplay() throws Exception {
        if (window != null) {
            window.destroyForcibly().waitFor();
        }
        if (xvfb != null) {
            xvfb.close();
        }
    }

    private static Screen shm() {
        return Screen.open(xvfb.display(), Screen.Backend.X11_SHM);
    }

    @Test
    void should_report_both_xinerama_screens_with_their_bounds() {
        try (Screen screen = shm()) {
            assertThat(screen.backend()).isEqualTo("x11-shm");
            assertThat(screen.monitors()).containsExactly(
                    new Monitor(0, "screen-0", new Rect(0, 0, 1920, 1080), 1.0, true, 1.0),
                    new Monitor(1, "screen-1", new Rect(0, 0, 1280, 1024), 1.0, false, 1.0));
        }
    }

    @Test
    void should_capture_the_drawn_pixels_exactly_on_each_monitor() {
        try (Screen screen = shm()) {
            for (Monitor m : screen.monitors()) {
                Frame frame = screen.capture(Target.monitor(m.id()));
                assertThat(frame.bounds()).isEqualTo(m.bounds());
                assertMatchesPattern(frame);
            }
        }
    }

    @Test
    void should_capture_a_region_at_its_offset_reusing_the_previous_array() {
        try (Screen screen = shm()) {
            Frame big = screen.capture(Target.desktop());
            Frame region = screen.capture(Target.region(new Rect(1501, 703, 317, 211)), big);
            assertThat(region.pixels()).isSameAs(big.pixels());
            assertThat(region.width()).isEqualTo(317);
            assertMatchesPattern(region);
        }
    }

    @Test
    void should_hand_out_the_same_pixels_in_place() {
        try (Screen screen = shm()) {
            int mismatches = screen.read(Target.region(new Rect(7, 9, 1900, 1000)), view -> {
                int bad = 0;
                for (int y = 0; y < view.height(); y++) {
                    for (int x = 0; x < view.width(); x++) {
                        bad += view.rgb(x, y) == expected(7 + x, 9 + y) ? 0 : 1;
                    }
                }
                return bad;
            });
            assertThat(mismatches).isZero();
        }
    }

    @Test
    void should_refuse_an_unknown_monitor_and_a_region_outside_the_desktop() {
        try (Screen screen = shm()) {
            assertThatThrownBy(() -> screen.capture(Target.monitor(2))).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("No monitor 2; the monitors are 0 (1920x1080 at 0,0), 1 (1280x1024 at 0,0)");
            assertThatThrownBy(() -> screen.capture(Target.region(new Rect(1900, 0, 21, 10))))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("not inside the desktop");
        }
    }

    @Test
    void should_close_idempotently_and_refuse_use_after_close() {
        Screen screen = shm();
        screen.close();
        screen.close();
        assertThatThrownBy(screen::monitors).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void should_give_the_same_pixels_through_robot_and_the_cli() throws Exception {
        Path png = dir.resolve("robot.png");
        ChildJvm.Result result = ChildJvm.run(Map.of("DISPLAY", xvfb.display()), "dev.pixelsense.cli.Main",
                "screenshot", "--backend", "robot", "--monitor", "1", "-o", png.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Wrote " + png + ": 1280x1024 px of 0,0,1280,1024");
        BufferedImage image = ImageIO.read(png.toFile());
        assertMatchesPattern(Frame.of(image, new Rect(0, 0, 1280, 1024)));
    }

    static void assertMatchesPattern(Frame frame) {
        int mismatches = 0;
        String first = null;
        for (int y = 0; y < frame.height(); y++) {
            for (int x = 0; x < frame.width(); x++) {
                int want = expected(frame.bounds().x() + x, frame.bounds().y() + y);
                if (frame.rgb(x, y) != want) {
                    mismatches++;
                    if (first == null) {
                        first = "(" + x + "," + y + "): " + Integer.toHexString(frame.rgb(x, y)) + " != "
                                + Integer.toHexString(want);
                    }
                }
            }
        }
        assertThat(mismatches).as("pixels differing from the pattern, first at " + first).isZero();
    }
}
