package dev.pixelsense.screen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.NotFoundException;
import dev.pixelsense.testing.ChildJvm;
import dev.pixelsense.testing.InputScript;
import dev.pixelsense.testing.InputWindow;
import dev.pixelsense.testing.TestDesktop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Input through XTest under a real two-monitor Xvfb (Xinerama: 1920x1080 and 1280x1024, both at
 * the origin), checked by what a Swing window in another JVM receives.
 */
class InputTest {
    @RegisterExtension
    static final TestDesktop desktop = new TestDesktop();

    private Input input;

    @BeforeEach
    void open() {
        input = Input.open(desktop.display(), Input.Backend.XTEST);
        desktop.window().drain();
    }

    @AfterEach
    void close() {
        input.close();
    }

    @Test
    void should_click_the_exact_pixel_absolute_and_normalized_on_both_monitors() throws Exception {
        record Case(Point point, int x, int y) {}
        List<Case> cases = List.of(
                new Case(Point.at(1234, 567), 1234, 567),
                new Case(Point.at(1919.99, 1079.5), 1919, 1079),
                new Case(Point.onMonitor(0, (961 + 0.5) / 1920, (333 + 0.5) / 1080), 961, 333),
                new Case(Point.onMonitor(0, 1.0, 0.0), 1919, 0),
                new Case(Point.onMonitor(1, (1000 + 0.5) / 1280, (777 + 0.5) / 1024), 1000, 777),
                new Case(Point.onMonitor(1, 1.0, 1.0), 1279, 1023),
                new Case(Point.onMonitor(1, 0.5, 0.25), 640, 256),
                new Case(Point.inRegion(new Rect(1500, 300, 101, 51), 0.5, 0.5), 1550, 325));
        for (Case c : cases) {
            input.click(c.point());
            JsonNode pressed = desktop.window().await("pressed");
            JsonNode released = desktop.window().await("released");
            assertThat(List.of(pressed.get("x").asInt(), pressed.get("y").asInt(), released.get("x").asInt(),
                    released.get("y").asInt())).as(c.toString()).containsExactly(c.x(), c.y(), c.x(), c.y());
            assertThat(pressed.get("button").asInt()).isEqualTo(1);
            assertThat(pressed.get("count").asInt()).as(c.toString()).isEqualTo(1);
            assertThat(input.position()).isEqualTo(Point.at(c.x(), c.y()));
            assertThat(input.resolve(c.point())).isEqualTo(Point.at(c.x(), c.y()));
        }
    }

    @Test
    void should_send_double_and_triple_clicks() throws Exception {
        input.click(Point.at(300, 700), Button.LEFT, 2);
        assertThat(pressCounts(desktop.window().until("released"), desktop.window().until("released"))).containsExactly(1, 2);
        input.click(Point.at(500, 800), Button.LEFT, 3);
        assertThat(pressCounts(desktop.window().until("released"), desktop.window().until("released"), desktop.window().until("released")))
                .containsExactly(1, 2, 3);
    }

    @SafeVarargs
    private static List<Integer> pressCounts(List<JsonNode>... groups) {
        List<Integer> counts = new ArrayList<>();
        for (List<JsonNode> g : groups) {
            g.stream().filter(e -> e.get("e").asText().equals("pressed")).forEach(e -> counts.add(e.get("count").asInt()));
        }
        return counts;
    }

    @Test
    void should_press_the_right_and_middle_buttons() throws Exception {
        input.click(Point.at(1300, 900), Button.RIGHT, 1);
        JsonNode right = desktop.window().await("pressed");
        input.click(Point.at(1400, 950), Button.MIDDLE, 1);
        JsonNode middle = desktop.window().await("pressed");
        assertThat(List.of(right.get("button").asInt(), right.get("x").asInt(), middle.get("button").asInt(),
                middle.get("y").asInt())).containsExactly(3, 1300, 2, 950);
    }

    @Test
    void should_drag_as_press_then_moves_then_release_at_the_right_points() throws Exception {
        input.drag(Point.at(1000, 400), Point.onMonitor(1, (1200 + 0.5) / 1280, (500 + 0.5) / 1024), Button.LEFT, 4);
        List<JsonNode> events = desktop.window().until("released").stream()
                .filter(e -> !e.get("e").asText().equals("moved")).toList();
        assertThat(events.getFirst().get("e").asText()).isEqualTo("pressed");
        assertThat(xy(events.getFirst())).isEqualTo("1000,400");
        assertThat(xy(events.getLast())).isEqualTo("1200,500");
        List<String> drags = events.stream().filter(e -> e.get("e").asText().equals("dragged")).map(InputTest::xy)
                .toList();
        // AWT may merge motion events still queued, so: in order, a subset of the steps, ending at the target
        assertThat(List.of("1050,425", "1100,450", "1150,475", "1200,500")).containsSubsequence(drags);
        assertThat(drags).isNotEmpty().endsWith("1200,500");
    }

    @Test
    void should_press_and_release_a_held_button() throws Exception {
        input.move(Point.at(700, 300));
        input.press(Button.LEFT);
        input.move(Point.at(720, 310));
        input.release(Button.LEFT);
        List<String> seen = desktop.window().until("released").stream().filter(e -> !e.get("e").asText().equals("moved"))
                .map(e -> e.get("e").asText() + "@" + xy(e)).toList();
        assertThat(seen).containsExactly("pressed@700,300", "dragged@720,310", "released@720,310");
    }

    @Test
    void should_scroll_vertically_and_horizontally_at_the_point() throws Exception {
        input.scroll(Point.at(1500, 800), 0, 3);
        input.scroll(Point.at(1501, 801), 0, -2);
        input.scroll(Point.at(1502, 802), 2, 0);
        input.scroll(Point.at(1503, 803), -1, 0);
        List<String> wheels = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JsonNode w = desktop.window().await("wheel");
            wheels.add(xy(w) + " " + w.get("rotation").asInt());
        }
        assertThat(wheels).containsExactly("1500,800 1", "1500,800 1", "1500,800 1", "1501,801 -1", "1501,801 -1");
        // X sends horizontal notches as buttons 6 (left) and 7 (right); GTK, Qt and browsers scroll
        // sideways on them, AWT reports them as its extra buttons 4 and 5 instead of wheel events
        List<String> sideways = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode p = desktop.window().await("pressed");
            sideways.add(xy(p) + " button " + p.get("button").asInt());
        }
        assertThat(sideways).containsExactly("1502,802 button 5", "1502,802 button 5", "1503,803 button 4");
    }

    @Test
    void should_press_combos_in_order_and_release_them_in_reverse() throws Exception {
        focusField();
        input.key("ctrl+shift+t");
        List<String> keys = keyEvents(6);
        // AWT reports the modifiers held after each event
        assertThat(keys).containsExactly("keyPressed Ctrl Ctrl", "keyPressed Shift Ctrl+Shift",
                "keyPressed T Ctrl+Shift", "keyReleased T Ctrl+Shift", "keyReleased Shift Ctrl", "keyReleased Ctrl");
        // cmd is Super on Linux, which AWT reports as the Windows key (and not as a modifier)
        input.key("cmd+f5");
        assertThat(keyEvents(4)).containsExactly("keyPressed Windows", "keyPressed F5", "keyReleased F5",
                "keyReleased Windows");
    }

    @Test
    void should_hold_keys_around_other_input() throws Exception {
        focusField();
        input.keyDown("shift");
        input.click(Point.at(FIELD_CENTER_X + 50, FIELD_CENTER_Y));
        JsonNode click = desktop.window().await("pressed");
        input.keyUp("shift");
        assertThat(click.get("mods").asText()).contains("Shift");
        input.hold("alt", Duration.ofMillis(200));
        assertThat(keyEvents(3)).containsExactly("keyReleased Shift", "keyPressed Alt Alt", "keyReleased Alt");
    }

    @Test
    void should_type_unicode_text_as_sent() throws Exception {
        focusField();
        String text = "héllo wörld ✓ 日本";
        input.type(text);
        assertThat(desktop.window().text()).isEqualTo(text);
        desktop.window().command("clear");
        desktop.window().await("cleared");
        String ascii = "Hello, World! (1+2=3) ~`@#$%^&*_{}|:\"<>?[]\\;',./ tab";
        input.type(ascii);
        assertThat(desktop.window().text()).isEqualTo(ascii);
    }

    @Test
    void should_type_more_distinct_characters_than_there_are_spare_keycodes() throws Exception {
        focusField();
        StringBuilder text = new StringBuilder();
        for (int cp = 0x0410; cp < 0x0410 + 40; cp++) {
            text.appendCodePoint(cp); // Cyrillic А..з, none on a US keyboard map
        }
        input.type(text.toString());
        assertThat(desktop.window().text()).isEqualTo(text.toString());
    }

    @Test
    void should_fall_back_to_robot_typing_plain_text_as_keys_and_pasting_the_rest_then_restoring_the_clipboard()
            throws Exception {
        focusField();
        desktop.window().command("copy before-the-paste");
        desktop.window().await("copied");
        Process robot = ChildJvm.startAndAwait(Map.of("DISPLAY", desktop.display()), "DONE robot",
                InputScript.class.getName(), "ROBOT", "click:" + FIELD_CENTER_X + "," + FIELD_CENTER_Y,
                "type:Plain text 42 ", "type:日本 ✓ é");
        try {
            assertThat(desktop.window().text()).isEqualTo("Plain text 42 日本 ✓ é");
            desktop.window().command("clipboard");
            assertThat(desktop.window().await("clipboard").get("value").asText()).isEqualTo("before-the-paste");
        } finally {
            robot.getOutputStream().write('\n');
            robot.getOutputStream().flush();
            assertThat(robot.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void should_refuse_points_off_every_monitor_unknown_monitors_and_bad_input() {
        assertThatThrownBy(() -> input.click(Point.at(1920, 10))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("The point 1920,10 is not on any monitor");
        assertThatThrownBy(() -> input.move(Point.onMonitor(2, 0.5, 0.5))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("No monitor 2");
        assertThatThrownBy(() -> Point.onMonitor(0, 1.01, 0)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> input.click(Point.at(5, 5), Button.LEFT, 4)).hasMessageContaining("1, 2 or 3");
        assertThatThrownBy(() -> input.key("ctrl+nosuchkey")).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Unknown key 'nosuchkey'");
        assertThatThrownBy(() -> input.key("ctrl+")).hasMessageContaining("ctrl+plus");
    }

    @Test
    void should_close_idempotently_and_refuse_use_after_close() {
        Input other = Input.open(desktop.display(), Input.Backend.XTEST);
        other.close();
        other.close();
        assertThatThrownBy(() -> other.move(Point.at(1, 1))).isInstanceOf(IllegalStateException.class);
    }

    private static final int FIELD_CENTER_X = InputWindow.FIELD_X + InputWindow.FIELD_W / 2;
    private static final int FIELD_CENTER_Y = InputWindow.FIELD_Y + InputWindow.FIELD_H / 2;

    /** Clicks into the text field (which gives it the keyboard focus) and empties it. */
    private void focusField() throws Exception {
        input.click(Point.at(FIELD_CENTER_X, FIELD_CENTER_Y));
        desktop.window().await("released");
        desktop.window().command("clear");
        desktop.window().await("cleared");
        desktop.window().drain();
    }

    private static List<String> keyEvents(int n) throws InterruptedException {
        List<String> keys = new ArrayList<>();
        while (keys.size() < n) {
            JsonNode e = desktop.window().await(k -> k.get("e").asText().startsWith("key"), Duration.ofSeconds(20));
            if (!e.get("e").asText().equals("keyTyped")) {
                keys.add((e.get("e").asText() + " " + e.get("key").asText() + " " + e.get("mods").asText()).strip());
            }
        }
        return keys;
    }

    private static String xy(JsonNode e) {
        return e.get("x").asInt() + "," + e.get("y").asInt();
    }
}
