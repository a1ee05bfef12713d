package dev.pixelsense.screen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.testing.InputWindow;
import dev.pixelsense.testing.TestDesktop;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Screen#captureChanges} under a real two-monitor Xvfb with a window that repaints only what
 * it changes: after every partial update the frame must equal a full capture pixel for pixel, while
 * only the redrawn areas were read.
 */
class CaptureChangesTest {
    /** A region, so frame and desktop coordinates differ (by 200 rows) and a mix-up shows. */
    private static final Target LOWER_PART = Target.region(new Rect(0, 200, 1920, 880));
    @RegisterExtension
    static final TestDesktop desktop = new TestDesktop();

    private static Screen shm() {
        return Screen.open(desktop.display(), Screen.Backend.X11_SHM);
    }

    @Test
    void should_read_everything_first_then_nothing_while_the_screen_is_unchanged() {
        try (Screen screen = shm()) {
            FrameUpdate first = screen.captureChanges(LOWER_PART, null);
            FrameUpdate second = screen.captureChanges(LOWER_PART, first.frame());

            assertThat(first.full()).isTrue();
            assertThat(first.fetched()).containsExactly(new Rect(0, 0, 1920, 880));
            assertThat(first.changedPixels()).isEqualTo(1920 * 880);
            assertThat(second.full()).isFalse();
            assertThat(second.fetched()).isEmpty();
            assertThat(second.changed()).isFalse();
            assertThat(second.frame().pixels()).isSameAs(first.frame().pixels());
            assertSameAsFullCapture(screen, LOWER_PART, second.frame());
        }
    }

    @Test
    void should_read_only_the_redrawn_areas_and_stay_exact_after_each_partial_update() throws Exception {
        try (Screen screen = shm()) {
            desktop.window().command("rect 1230 560 5 5 000000");
            desktop.window().await("drawn");
            FrameUpdate update = screen.captureChanges(LOWER_PART, null);

            desktop.window().command("rect 1234 567 89 45 ff0000");
            desktop.window().await("drawn");
            update = screen.captureChanges(LOWER_PART, update.frame());

            assertThat(update.full()).isFalse();
            // Swing repaints the old and the new rectangle, or their bounding box when it merges the two
            Rect repainted = new Rect(1230, 560 - 200, 89 + 4, 45 + 7);
            assertThat(update.fetched()).allSatisfy(r -> assertThat(repainted.contains(r)).as(r.toString()).isTrue());
            assertThat(area(update.fetched())).isBetween(89L * 45, (long) repainted.width() * repainted.height());
            // the old 5x5 square went back to the background, the new rectangle appeared
            assertThat(update.changedPixels()).isEqualTo(89 * 45 + 5 * 5);
            assertThat(update.frame().rgb(1234, 567 - 200)).isEqualTo(0xFF0000);
            assertSameAsFullCapture(screen, LOWER_PART, update.frame());

            desktop.window().command("rect 700 300 120 60 00ff00");
            desktop.window().await("drawn");
            update = screen.captureChanges(LOWER_PART, update.frame());

            assertThat(update.full()).isFalse();
            assertThat(update.changedPixels()).isEqualTo(89 * 45 + 120 * 60);
            assertThat(update.frame().rgb(1234, 567 - 200)).isEqualTo(InputWindow.BACKGROUND);
            assertSameAsFullCapture(screen, LOWER_PART, update.frame());
        }
    }

    @Test
    void should_end_exact_after_many_partial_updates_during_an_animation() throws Exception {
        Target band = Target.region(new Rect(0, InputWindow.ANIMATION_Y - 20, 1300, 120));
        try (Screen screen = shm()) {
            FrameUpdate update = screen.captureChanges(band, null);
            desktop.window().command("animate 800");
            desktop.window().await("animationStarted");
            int partial = 0;
            for (int i = 0; i < 200; i++) {
                update = screen.captureChanges(band, update.frame());
                partial += update.full() ? 0 : 1;
                Thread.sleep(3);
            }
            desktop.window().await("animationStopped");
            // a rectangle drawn after the animation's last repaint: once it shows, so does that repaint
            desktop.window().command("rect 1500 20 10 10 0000ff");
            desktop.window().await("drawn");
            update = screen.captureChanges(band, update.frame());

            assertThat(partial).isEqualTo(200);
            assertThat(update.full()).isFalse();
            assertSameAsFullCapture(screen, band, update.frame());
            assertThat(update.frame().rgb(500, 40)).isEqualTo(InputWindow.BACKGROUND);
        }
    }

    @Test
    void should_track_regions_and_the_second_monitor_in_their_own_coordinates() throws Exception {
        Rect region = new Rect(1000, 500, 400, 200);
        try (Screen screen = shm()) {
            FrameUpdate update = screen.captureChanges(Target.region(region), null);
            desktop.window().command("rect 1100 550 30 20 123456");
            desktop.window().await("drawn");
            update = screen.captureChanges(Target.region(region), update.frame());

            assertThat(update.full()).isFalse();
            assertThat(update.frame().rgb(100, 50)).isEqualTo(0x123456);
            assertSameAsFullCapture(screen, Target.region(region), update.frame());

            // Xvfb stacks the second head at the origin too: the same window shows there
            FrameUpdate second = screen.captureChanges(Target.monitor(1), null);
            desktop.window().command("rect 40 30 16 8 abcdef");
            desktop.window().await("drawn");
            second = screen.captureChanges(Target.monitor(1), second.frame());

            assertThat(second.full()).isFalse();
            assertThat(second.frame().rgb(40, 30)).isEqualTo(0xABCDEF);
            assertSameAsFullCapture(screen, Target.monitor(1), second.frame());
        }
    }

    @Test
    void should_read_everything_again_for_another_frame_target_or_a_frame_recycled_by_capture() {
        try (Screen screen = shm()) {
            Frame tracked = screen.captureChanges(LOWER_PART, null).frame();
            Frame other = screen.capture(LOWER_PART);

            FrameUpdate withOther = screen.captureChanges(LOWER_PART, other);
            FrameUpdate otherTarget = screen.captureChanges(Target.region(new Rect(0, 0, 100, 100)), withOther.frame());
            Frame again = screen.captureChanges(LOWER_PART, null).frame();
            Frame recycled = screen.capture(Target.region(new Rect(5, 205, 50, 50)), again);
            FrameUpdate afterRecycle = screen.captureChanges(LOWER_PART, again);

            assertThat(tracked).isNotNull();
            assertThat(withOther.full()).isTrue();
            // compared with the frame it was given: the screen did not change
            assertThat(withOther.changedPixels()).isZero();
            assertThat(otherTarget.full()).isTrue();
            assertThat(recycled.pixels()).isSameAs(again.pixels());
            assertThat(afterRecycle.full()).isTrue();
            assertSameAsFullCapture(screen, LOWER_PART, afterRecycle.frame());
        }
    }

    @Test
    void should_count_changes_against_the_previous_frame_on_a_full_read() {
        Rect r = new Rect(0, 0, 4, 2);
        Frame before = new Frame(4, 2, new int[] {1, 2, 3, 4, 5, 6, 7, 8}, r);
        Frame after = new Frame(4, 2, new int[] {1, 2, 0xFF000003, 9, 5, 6, 7, 0}, r);

        assertThat(FrameUpdate.full(after, before).changedPixels()).isEqualTo(2); // bits 24-31 do not count
        assertThat(FrameUpdate.full(after, null).changedPixels()).isEqualTo(8);
        assertThat(FrameUpdate.full(after, before).changedFraction()).isEqualTo(0.25);
    }

    private static long area(List<Rect> rects) {
        return rects.stream().mapToLong(r -> (long) r.width() * r.height()).sum();
    }

    /** Every pixel equals a full capture's (the window's caret does not blink, nothing else moves). */
    private static void assertSameAsFullCapture(Screen screen, Target target, Frame frame) {
        Frame full = screen.capture(target);
        assertThat(frame.bounds()).isEqualTo(full.bounds());
        int n = full.width() * full.height();
        int mismatches = 0;
        String first = null;
        for (int i = 0; i < n; i++) {
            if (((frame.pixels()[i] ^ full.pixels()[i]) & 0xFFFFFF) != 0) {
                mismatches++;
                if (first == null) {
                    first = "(" + i % full.width() + "," + i / full.width() + "): "
                            + Integer.toHexString(frame.rgb(i % full.width(), i / full.width())) + " != "
                            + Integer.toHexString(full.rgb(i % full.width(), i / full.width()));
                }
            }
        }
        assertThat(mismatches).as("pixels differing from a full capture, first at " + first).isZero();
    }
}
