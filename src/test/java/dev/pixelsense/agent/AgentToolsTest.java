package dev.pixelsense.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixelsense.config.ConfigException;
import dev.pixelsense.Pixelsense;
import dev.pixelsense.openai.ChatMessage;
import dev.pixelsense.openai.ContentPart;
import dev.pixelsense.openai.MessageContent;
import dev.pixelsense.openai.ToolCall;
import dev.pixelsense.screen.Button;
import dev.pixelsense.screen.Monitor;
import dev.pixelsense.screen.Point;
import dev.pixelsense.screen.Rect;
import dev.pixelsense.vision.ocr.OcrLine;
import dev.pixelsense.vision.ocr.OcrWord;
import dev.pixelsense.vision.ocr.Quad;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's pure parts: tool parsing, OCR grounding, the loop guard, the conversation, the config. */
class AgentToolsTest {
    private static final AgentTools.Shown SHOWN = new AgentTools.Shown(1280, 720, 0, 0);

    private static AgentAction parse(AgentTools tools, String name, String args, AgentTools.Shown shown) {
        return tools.parse(ToolCall.function("c1", name, args), shown);
    }

    @Test
    void should_parse_every_tool_with_normalized_coordinates() {
        AgentTools tools = new AgentTools("normalized");
        assertThat(parse(tools, "click", "{\"x\":0.25,\"y\":0.5,\"button\":\"right\",\"count\":2}", SHOWN))
                .isEqualTo(new AgentAction.Click(new AgentAction.Spot(0.25, 0.5, false), Button.RIGHT, 2));
        assertThat(parse(tools, "drag", "{\"x1\":0,\"y1\":0,\"x2\":1,\"y2\":1}", SHOWN)).isEqualTo(
                new AgentAction.Drag(new AgentAction.Spot(0, 0, false), new AgentAction.Spot(1, 1, false)));
        assertThat(parse(tools, "scroll", "{\"x\":0.5,\"y\":0.5,\"dy\":-3}", SHOWN))
                .isEqualTo(new AgentAction.Scroll(new AgentAction.Spot(0.5, 0.5, false), 0, -3));
        assertThat(parse(tools, "type_text", "{\"text\":\"héllo\\n\"}", SHOWN)).isEqualTo(new AgentAction.TypeText("héllo\n"));
        assertThat(parse(tools, "key_press", "{\"keys\":\"ctrl+s\"}", SHOWN)).isEqualTo(new AgentAction.KeyPress("ctrl+s"));
        assertThat(parse(tools, "wait", "{\"seconds\":1.5}", SHOWN)).isEqualTo(new AgentAction.Wait(1.5));
        assertThat(parse(tools, "zoom", "{\"x\":0.5,\"y\":0.5,\"width\":0.25,\"height\":0.25}", SHOWN))
                .isEqualTo(new AgentAction.Zoom(new AgentAction.Box(0.5, 0.5, 0.25, 0.25)));
        assertThat(parse(tools, "click_text", "{\"text\":\"OK\",\"nth\":2}", SHOWN))
                .isEqualTo(new AgentAction.ClickText("OK", 2, Button.LEFT, 1));
        assertThat(parse(tools, "goal_reached", "{\"summary\":\"done\"}", SHOWN)).isEqualTo(new AgentAction.GoalReached("done"));
        assertThat(tools.definitions()).extracting(t -> t.function().name()).containsExactly("click", "drag", "scroll",
                "move", "type_text", "key_press", "wait", "zoom", "click_text", "goal_reached", "give_up");
    }

    @Test
    void should_map_pixel_coordinates_to_the_centre_of_the_pixel_of_the_screenshot_or_the_zoom() {
        AgentTools tools = new AgentTools("pixels");
        AgentAction.Click c = (AgentAction.Click) parse(tools, "click", "{\"x\":639,\"y\":0}", SHOWN);
        assertThat(c.at().x()).isEqualTo(639.5 / 1280);
        assertThat(c.at().y()).isEqualTo(0.5 / 720);
        AgentTools.Shown zoomed = new AgentTools.Shown(1280, 720, 400, 200);
        AgentAction.Click z = (AgentAction.Click) parse(tools, "click", "{\"x\":100,\"y\":50,\"zoom\":true}", zoomed);
        assertThat(z.at()).isEqualTo(new AgentAction.Spot(100.5 / 400, 50.5 / 200, true));
        assertThat(tools.convention(1280, 720)).contains("pixels of the screenshot shown (1280x720)");
    }

    @Test
    void should_explain_unusable_calls_to_the_model() {
        AgentTools tools = new AgentTools("normalized");
        assertThatThrownBy(() -> parse(tools, "launch_missiles", "{}", SHOWN)).isInstanceOf(AgentTools.InvalidCall.class)
                .hasMessageContaining("Unknown tool 'launch_missiles'");
        assertThatThrownBy(() -> parse(tools, "click", "{\"x\":1.5,\"y\":0.5}", SHOWN))
                .hasMessage("'x' must be from 0 to 1, got 1.5.");
        assertThatThrownBy(() -> parse(tools, "click", "{\"y\":0.5}", SHOWN)).hasMessageContaining("'x' is required");
        assertThatThrownBy(() -> parse(tools, "click", "{x:", SHOWN)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> parse(tools, "click", "{\"x\":0.1,\"y\":0.1,\"zoom\":true}", SHOWN))
                .hasMessageContaining("call zoom first");
        assertThatThrownBy(() -> parse(tools, "key_press", "{\"keys\":\"ctrl+\"}", SHOWN))
                .hasMessageContaining("ends with +");
        assertThatThrownBy(() -> parse(tools, "scroll", "{\"x\":0.1,\"y\":0.1}", SHOWN)).hasMessageContaining("dx or dy");
        assertThatThrownBy(() -> parse(tools, "zoom", "{\"x\":0.9,\"y\":0.1,\"width\":0.5,\"height\":0.1}", SHOWN))
                .hasMessageContaining("inside the screenshot");
        assertThatThrownBy(() -> parse(tools, "type_text", "{\"text\":\"" + "a".repeat(2001) + "\"}", SHOWN))
                .hasMessageContaining("at most 2000");
        assertThatThrownBy(() -> parse(tools, "click", "{\"x\":0.1,\"y\":0.1,\"button\":\"thumb\"}", SHOWN))
                .hasMessageContaining("Unknown mouse button");
    }

    private static OcrLine line(String text, int x, int y, int charWidth) {
        List<OcrWord> words = new ArrayList<>();
        int at = x;
        for (String w : text.split(" ")) {
            words.add(new OcrWord(w, 0.9f, new Rect(at, y, w.length() * charWidth, 20)));
            at += (w.length() + 1) * charWidth;
        }
        Quad box = new Quad(new Quad.Point(x, y), new Quad.Point(at, y), new Quad.Point(at, y + 20),
                new Quad.Point(x, y + 20));
        return new OcrLine(text, 0.9f, box, words);
    }

    @Test
    void should_ground_text_on_the_words_it_covers_preferring_whole_words_in_reading_order() {
        List<OcrLine> lines = List.of(line("Unsaved changes", 10, 300, 10), line("Cancel Save", 400, 100, 10),
                line("Save as", 10, 100, 10));
        List<TextTarget.Candidate> save = TextTarget.find(lines, "save");
        // "Unsaved" is not a whole-word match while others exist; the same row is read left to right
        assertThat(save).extracting(c -> c.box()).containsExactly(new Rect(10, 100, 40, 20), new Rect(470, 100, 40, 20));
        assertThat(TextTarget.find(lines, "cancel  SAVE")).singleElement()
                .satisfies(c -> assertThat(c.box()).isEqualTo(new Rect(400, 100, 110, 20)));
        assertThat(TextTarget.find(lines, "nsav")).singleElement()
                .satisfies(c -> assertThat(c.wholeWords()).isFalse());
        assertThat(TextTarget.find(lines, "Delete")).isEmpty();
    }

    @Test
    void should_flag_the_same_dead_action_three_times_in_five() {
        LoopGuard guard = new LoopGuard();
        AgentAction a = new AgentAction.Click(new AgentAction.Spot(0.401, 0.2, false), Button.LEFT, 1);
        AgentAction jitter = new AgentAction.Click(new AgentAction.Spot(0.398, 0.203, false), Button.LEFT, 1);
        AgentAction other = new AgentAction.TypeText("x");
        assertThat(guard.record(a, false)).isFalse();
        assertThat(guard.record(a, true)).as("one that changed the screen does not count").isFalse();
        assertThat(guard.record(jitter, false)).isFalse();
        assertThat(guard.record(other, true)).isFalse();
        assertThat(guard.record(a, false)).as("three dead clicks at the same spot within five").isTrue();

        LoopGuard spread = new LoopGuard();
        for (int i = 0; i < 2; i++) {
            spread.record(a, false);
            for (int j = 0; j < 4; j++) {
                spread.record(new AgentAction.TypeText("t" + i + j), false);
            }
        }
        assertThat(spread.record(a, false)).as("the first one fell out of the window").isFalse();
    }

    @Test
    void should_keep_the_last_screenshots_and_summarize_older_turns() {
        Conversation c = new Conversation("system", "the goal", 2);
        for (int step = 1; step <= 4; step++) {
            c.observe(step, "Step " + step, List.of("data:image/jpeg;base64,AAA" + step));
            ToolCall call = ToolCall.function("call_" + step, "click", "{}");
            c.answered(ChatMessage.assistant(null, List.of(call)));
            c.result(call, "result " + step, "click " + step + ": no visible change");
        }
        c.observe(5, "Step 5", List.of("data:image/jpeg;base64,AAA5"));
        List<ChatMessage> messages = c.messages();
        // system, then turns 4 and 5 in full: user, assistant, tool, user
        assertThat(messages).extracting(ChatMessage::role).containsExactly("system", "user", "assistant", "tool", "user");
        String head = messages.get(1).text();
        assertThat(head).startsWith("Goal: the goal").contains("- step 1: click 1: no visible change",
                "- step 3: click 3: no visible change").doesNotContain("step 4:");
        long images = messages.stream().filter(ChatMessage::hasImages).count();
        assertThat(images).isEqualTo(2);
        assertThat(((MessageContent.Parts) messages.get(4).content()).parts())
                .anySatisfy(p -> assertThat(p).isEqualTo(ContentPart.image("data:image/jpeg;base64,AAA5")));
    }

    @Test
    void should_know_a_corner_of_any_monitor() {
        List<Monitor> monitors = List.of(new Monitor(0, "left", new Rect(0, 0, 1920, 1080), 1, true, 1),
                new Monitor(1, "right", new Rect(1920, 0, 1280, 1024), 1, false, 1));
        assertThat(RunWatch.inCorner(Point.at(0, 0), monitors)).isTrue();
        assertThat(RunWatch.inCorner(Point.at(1919, 1078), monitors)).isTrue();
        assertThat(RunWatch.inCorner(Point.at(3199, 1023), monitors)).isTrue();
        assertThat(RunWatch.inCorner(Point.at(1921, 500), monitors)).isFalse();
        assertThat(RunWatch.inCorner(Point.at(960, 0), monitors)).isFalse();
    }

    @Test
    void should_read_the_agent_section_with_defaults_and_explain_mistakes() {
        var loader = Pixelsense.loader(k -> null);
        var defaults = loader.parse("a.yaml", "").agent();
        assertThat(defaults.enabled()).isFalse();
        assertThat(defaults.maxSteps()).isEqualTo(15);
        assertThat(defaults.screenshots()).isEqualTo(3);
        assertThat(defaults.denyKeys()).contains("ctrl+alt+delete");
        var set = loader.parse("a.yaml", "agent:\n  max_steps: 4\n  coordinates: pixels\n  deny_windows: [Terminal]\n")
                .agent();
        assertThat(List.of(set.maxSteps(), set.coordinates(), set.denyWindows()))
                .containsExactly(4, "pixels", List.of("Terminal"));
        assertThatThrownBy(() -> loader.parse("a.yaml", "agent:\n  coordinates: percent\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("a.yaml:2").hasMessageContaining("normalized");
        assertThatThrownBy(() -> loader.parse("a.yaml", "agent:\n  max_step: 3\n"))
                .hasMessageContaining("did you mean 'max_steps'");
        assertThatThrownBy(() -> loader.parse("a.yaml", "agent:\n  model: nope\n"))
                .hasMessageContaining("unknown model 'nope'");
        assertThatThrownBy(() -> AgentRequest.of(" ")).hasMessageContaining("goal is required");
        assertThatThrownBy(() -> AgentRequest.of("x").withMaxDuration("soon")).hasMessageContaining("max_duration");
    }
}
