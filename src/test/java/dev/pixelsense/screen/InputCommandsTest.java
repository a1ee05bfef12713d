package dev.pixelsense.screen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.testing.ChildJvm;
import dev.pixelsense.testing.InputWindow;
import dev.pixelsense.testing.TestDesktop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code pixelsense click|type|key|scroll|drag} as separate processes, checked by the desktop.window(). */
class InputCommandsTest {
    @RegisterExtension
    static final TestDesktop desktop = new TestDesktop();

    private static ChildJvm.Result pixelsense(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--display", desktop.display()));
        return ChildJvm.run(Map.of(), "dev.pixelsense.cli.Main", all.toArray(String[]::new));
    }

    @Test
    void should_click_normalized_on_a_monitor_with_a_button_and_a_count() throws Exception {
        desktop.window().drain();
        ChildJvm.Result result = pixelsense("click", "0.5", "0.25", "--monitor", "1", "--normalized", "--button",
                "right", "--count", "2");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().strip()).isEqualTo("Clicked right x2 at 640,256");
        desktop.window().await(e -> e.get("e").asText().equals("pressed") && e.get("count").asInt() == 2,
                java.time.Duration.ofSeconds(20));

        ChildJvm.Result relative = pixelsense("click", "10", "20", "--region", "1500,300,100,100");
        assertThat(relative.output().strip()).isEqualTo("Clicked left at 1510,320");
        JsonNode pressed = desktop.window().await("pressed");
        assertThat(List.of(pressed.get("x").asInt(), pressed.get("y").asInt(), pressed.get("button").asInt()))
                .containsExactly(1510, 320, 1);
    }

    @Test
    void should_type_text_and_press_keys_from_the_command_line() throws Exception {
        int x = InputWindow.FIELD_X + 10;
        int y = InputWindow.FIELD_Y + 10;
        assertThat(pixelsense("click", "" + x, "" + y).exitCode()).isZero();
        desktop.window().command("clear");
        desktop.window().await("cleared");

        // the process exits right after typing: the keycodes it bound must still type what was sent
        ChildJvm.Result typed = pixelsense("type", "Grüße ✓ 日本");
        assertThat(typed.exitCode()).as(typed.output()).isZero();
        assertThat(desktop.window().text()).isEqualTo("Grüße ✓ 日本");

        assertThat(pixelsense("key", "ctrl+a", "backspace").exitCode()).isZero();
        assertThat(desktop.window().text()).isEmpty();
    }

    @Test
    void should_scroll_and_drag_from_the_command_line() throws Exception {
        desktop.window().drain();
        assertThat(pixelsense("scroll", "1600", "900", "--dy", "-2").exitCode()).isZero();
        assertThat(desktop.window().await("wheel").get("rotation").asInt()).isEqualTo(-1);
        assertThat(pixelsense("drag", "0.5", "0.5", "0.75", "0.5", "--monitor", "0", "--normalized", "--steps", "3")
                .exitCode()).isZero();
        assertThat(xyOf(desktop.window().await("pressed"))).isEqualTo("960,540");
        assertThat(xyOf(desktop.window().await("released"))).isEqualTo("1440,540");
    }

    @Test
    void should_fail_in_one_line_for_bad_points_keys_and_buttons() throws Exception {
        ChildJvm.Result off = pixelsense("click", "5000", "10");
        assertThat(off.exitCode()).isEqualTo(1);
        assertThat(off.output().strip()).startsWith("pixelsense: The point 5000,10 is not on any monitor")
                .doesNotContain("\n");
        ChildJvm.Result key = pixelsense("key", "ctrl+nosuchkey");
        assertThat(key.output().strip()).startsWith("pixelsense: Unknown key 'nosuchkey'").doesNotContain("\n");
        ChildJvm.Result button = pixelsense("click", "1", "1", "--button", "fourth");
        assertThat(button.output().strip())
                .isEqualTo("pixelsense: Unknown mouse button 'fourth'; use left, middle or right");
        ChildJvm.Result normalized = pixelsense("click", "2", "0.5", "--normalized");
        assertThat(normalized.output().strip())
                .isEqualTo("pixelsense: Normalized coordinates must be between 0 and 1, got 2.0,0.5");
    }

    private static String xyOf(JsonNode e) {
        return e.get("x").asInt() + "," + e.get("y").asInt();
    }
}
