package dev.pixelsense.screen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.testing.InputWindow;
import dev.pixelsense.testing.TestDesktop;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** FrameDiff and the stable-wait on real captures of a window that draws and animates on request. */
class ChangeDetectionTest {
    @RegisterExtension
    static final TestDesktop desktop = new TestDesktop();

    @Test
    void should_find_a_drawn_rectangle_with_its_exact_box_on_a_monitor_and_in_a_region() throws Exception {
        Rect region = new Rect(1000, 500, 400, 200);
        try (Screen screen = Screen.open(desktop.display(), Screen.Backend.X11_SHM)) {
            Frame monitor = screen.capture(Target.monitor(0));
            Frame part = screen.capture(Target.region(region));
            desktop.window().command("rect 1234 567 89 45 ff0000");
            desktop.window().await("drawn");

            FrameDiff onMonitor = FrameDiff.between(monitor, screen.capture(Target.monitor(0)));
            FrameDiff inRegion = FrameDiff.between(part, screen.capture(Target.region(region)));

            assertThat(onMonitor.boxes()).containsExactly(new Rect(1234, 567, 89, 45));
            assertThat(onMonitor.changedFraction()).isEqualTo(89.0 * 45 / (1920 * 1080));
            assertThat(inRegion.boxes()).containsExactly(new Rect(1234 - 1000, 567 - 500, 89, 45));
        }
    }

    @Test
    void should_return_from_the_stable_wait_soon_after_an_animation_stops() throws Exception {
        try (Screen screen = Screen.open(desktop.display(), Screen.Backend.X11_SHM)) {
            desktop.window().command("animate 1000");
            desktop.window().await("animationStarted");

            Stability result = screen.waitUntilStable(Target.monitor(0), Duration.ofMillis(300),
                    Duration.ofSeconds(20));
            long returned = System.currentTimeMillis();

            long stopped = desktop.window().await("animationStopped").get("t").asLong();
            System.out.printf("stable-wait: returned %d ms after the animation's last step (quiet period 300 ms,"
                    + " %d captures in %d ms)%n", returned - stopped, result.captures(), result.elapsed().toMillis());
            assertThat(result.stable()).isTrue();
            assertThat(returned).isGreaterThanOrEqualTo(stopped + 300);
            assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(20));
            assertThat(result.frame().rgb(1500, 640)).isEqualTo(InputWindow.BACKGROUND);
        }
    }

    @Test
    void should_give_up_at_the_timeout_while_the_screen_keeps_changing() throws Exception {
        try (Screen screen = Screen.open(desktop.display(), Screen.Backend.X11_SHM)) {
            desktop.window().command("animate 3000");
            desktop.window().await("animationStarted");

            Stability result = screen.waitUntilStable(Target.region(new Rect(0, InputWindow.ANIMATION_Y, 1200, 80)),
                    Duration.ofMillis(800), Duration.ofMillis(1000));

            assertThat(result.stable()).isFalse();
            assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
            desktop.window().await("animationStopped");
        }
    }

    @Test
    void should_refuse_a_timeout_shorter_than_the_quiet_period() {
        try (Screen screen = Screen.open(desktop.display(), Screen.Backend.X11_SHM)) {
            assertThatThrownBy(() -> screen.waitUntilStable(Target.desktop(), Duration.ofSeconds(2),
                    Duration.ofSeconds(1))).isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("quiet 2000 ms, timeout 1000 ms");
        }
    }
}
