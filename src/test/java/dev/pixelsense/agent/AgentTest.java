package dev.pixelsense.agent;

import static dev.pixelsense.testing.ScriptedModel.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelsense.Pixelsense;
import dev.pixelsense.screen.Input;
import dev.pixelsense.screen.Point;
import dev.pixelsense.screen.Rect;
import dev.pixelsense.screen.Screen;
import dev.pixelsense.screen.Target;
import dev.pixelsense.testing.FormWindow;
import dev.pixelsense.testing.InputWindowProcess;
import dev.pixelsense.testing.OcrModelFiles;
import dev.pixelsense.testing.ScriptedModel;
import dev.pixelsense.testing.Xvfb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent end to end: a real Xvfb with two side-by-side monitors (RandR), a real Swing form on
 * each (the right one at HiDPI scale 2), real XTest input, real OCR for click_text, and a scripted
 * model over the OpenAI protocol playing prepared tool calls.
 */
class AgentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Rect LEFT = new Rect(0, 0, 1920, 1080);
    private static final Rect RIGHT = new Rect(1920, 0, 1280, 1024);
    private static final Rect DESKTOP = new Rect(0, 0, 3200, 1080);

    private static Xvfb xvfb;
    private static InputWindowProcess formA;
    private static InputWindowProcess formB;
    private static ScriptedModel model;
    private static Path store;
    @TempDir
    static Path traces;

    @BeforeAll
    static void start() throws Exception {
        xvfb = Xvfb.sideBySide();
        System.setProperty("pixelsense.display", xvfb.display());
        formA = InputWindowProcess.start(xvfb.display(), Map.of(), FormWindow.class.getName(), "100,100,800,600");
        formB = InputWindowProcess.start(xvfb.display(), Map.of("JAVA_TOOL_OPTIONS", "-Dsun.java2d.uiScale=2"),
                FormWindow.class.getName(), "2000,10,1150,1000", "scaled form");
        model = new ScriptedModel();
        store = OcrModelFiles.pulledStore();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {formA, formB, model}) {
            if (c != null) {
                c.close();
            }
        }
        System.clearProperty("pixelsense.display");
        if (xvfb != null) {
            xvfb.close();
        }
    }

    @BeforeEach
    void reset() {
        model.clear();
        formA.drain();
        formB.drain();
    }

    /** The test config: the scripted model as the vision model, the pulled OCR store, traces in a temp dir. */
    private static String config(String agentYaml) {
        return """
                models:
                  - id: scripted
                    backend: openai
                    base_url: %s
                vision:
                  model: scripted
                store:
                  dir: %s
                agent:
                  traces_dir: %s
                %s""".formatted(model.baseUrl(), store, traces, agentYaml.indent(2));
    }

    private static Pixelsense open(String agentYaml) {
        return Pixelsense.open(Pixelsense.loader(k -> null).parse("agent-test.yaml", config(agentYaml)), k -> null);
    }

    private static AgentRun runToEnd(Pixelsense px, AgentRequest request) throws InterruptedException {
        AgentRun run = px.agent().start(request, null);
        assertThat(run.await(Duration.ofSeconds(90))).as("the run ends").isTrue();
        return run;
    }

    /** The bounds of a form component in device pixels. */
    private static Rect part(InputWindowProcess form, String id) {
        JsonNode b = form.ready().get(id);
        return new Rect(b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt(), b.get(3).asInt());
    }

    /** Fractions of {@code shown} for the centre of a component (what a model would answer). */
    private static Object[] centre(InputWindowProcess form, String id, Rect shown) {
        Rect r = part(form, id);
        return new Object[] {"x", (r.x() + r.width() / 2.0 - shown.x()) / shown.width(),
                "y", (r.y() + r.height() / 2.0 - shown.y()) / shown.height()};
    }

    private static ScriptedModel.Call click(InputWindowProcess form, String id, Rect shown) {
        return call("click", centre(form, id, shown));
    }

    private static void assertPressedInside(InputWindowProcess form, String id) throws InterruptedException {
        JsonNode pressed = form.await("pressed");
        assertThat(pressed.get("component").asText()).as(pressed.toString()).isEqualTo(id);
        Rect r = part(form, id);
        // scale 2 reports user-space points times two: within a pixel of the device point
        assertThat(new Rect(r.x() - 1, r.y() - 1, r.width() + 2, r.height() + 2)
                .contains(pressed.get("x").asInt(), pressed.get("y").asInt())).as(pressed + " inside " + r).isTrue();
    }

    @Test
    void should_fill_in_and_submit_the_form_and_leave_a_complete_trace() throws Exception {
        // ctrl+a first: whatever another test typed into the field is replaced
        model.then(click(formA, "name", LEFT), call("key_press", "keys", "ctrl+a"),
                        call("type_text", "text", "Ada Lovelace"))
                .then(click(formA, "email", LEFT), call("key_press", "keys", "ctrl+a"),
                        call("type_text", "text", "ada@example.org"), click(formA, "subscribe", LEFT))
                .then(call("click_text", "text", "Submit"))
                .then(call("goal_reached", "summary", "the form is submitted"));
        try (Pixelsense px = open("")) {
            AgentRun run = runToEnd(px, AgentRequest.of("Fill in the form as Ada Lovelace and submit it")
                    .withMonitor(0));

            assertThat(run.status()).as(run.message()).isEqualTo(AgentRun.Status.SUCCEEDED);
            assertThat(run.message()).isEqualTo("the form is submitted");
            List<JsonNode> seen = formA.until("submitted");
            JsonNode submitted = seen.getLast();
            assertThat(submitted.get("name").asText()).isEqualTo("Ada Lovelace");
            assertThat(submitted.get("email").asText()).isEqualTo("ada@example.org");
            // the check box toggles (another test may have ticked it already): it was clicked, inside
            assertThat(seen).filteredOn(e -> e.path("component").asText().equals("subscribe")).hasSize(1);

            var requests = model.requests();
            assertThat(requests).hasSize(4);
            JsonNode first = requests.getFirst().body();
            assertThat(first.path("tools")).hasSize(11);
            assertThat(first.path("messages").get(0).path("content").asText()).contains("monitor 0")
                    .contains("1920x1080").contains("fractions of the screenshot");
            assertThat(first.toString()).contains("data:image/jpeg;base64,");
            // each action was verified against the screen
            assertThat(ScriptedModel.toolResults(requests.get(1))).hasSize(3).last().asString()
                    .startsWith("Done.").contains("The screen changed");
            assertThat(ScriptedModel.toolResults(requests.get(3)).getLast()).contains("Clicked 'Submit'");

            Path dir = run.traceDir();
            assertThat(dir).isDirectoryContaining("glob:**/step-01.jpg").isDirectoryContaining("glob:**/step-04.jpg");
            List<JsonNode> lines = Files.readAllLines(dir.resolve("trace.jsonl")).stream().map(l -> {
                try {
                    return JSON.readTree(l);
                } catch (Exception e) {
                    throw new AssertionError(l, e);
                }
            }).toList();
            assertThat(lines).extracting(l -> l.get("type").asText()).startsWith("run", "request", "response")
                    .contains("action", "step").endsWith("end");
            assertThat(lines.stream().filter(l -> l.get("type").asText().equals("action"))).hasSize(8)
                    .allSatisfy(a -> assertThat(a.path("data").path("execute_ms").isNumber()).isTrue());
            String report = Files.readString(run.report());
            assertThat(report).contains("succeeded", "Fill in the form as Ada Lovelace")
                    .containsPattern("(?s)(<img.*){4}");
        }
    }

    @Test
    void should_land_clicks_inside_their_targets_on_both_monitors_at_scale_1_and_2() throws Exception {
        assertThat(formB.ready().get("scale").asDouble()).isEqualTo(2.0);
        // the whole desktop as one screenshot
        model.then(click(formA, "submit", DESKTOP), click(formB, "cancel", DESKTOP), click(formB, "name", DESKTOP))
                .then(call("goal_reached", "summary", "clicked"));
        try (Pixelsense px = open("")) {
            AgentRun run = runToEnd(px, AgentRequest.of("Click the buttons"));
            assertThat(run.status()).as(run.message()).isEqualTo(AgentRun.Status.SUCCEEDED);
            assertPressedInside(formA, "submit");
            assertPressedInside(formB, "cancel");
            assertPressedInside(formB, "name");

            // the scaled monitor alone
            model.then(click(formB, "submit", RIGHT), click(formB, "subscribe", RIGHT))
                    .then(call("goal_reached", "summary", "clicked"));
            AgentRun second = runToEnd(px, AgentRequest.of("Click submit on the right").withMonitor(1));
            assertThat(second.status()).isEqualTo(AgentRun.Status.SUCCEEDED);
            assertPressedInside(formB, "submit");
            assertPressedInside(formB, "subscribe");
        }
    }

    @Test
    void should_tell_the_model_when_nothing_changed_and_stop_a_repeated_dead_click() throws Exception {
        Object[] empty = {"x", 650.5 / 1920, "y", 550.5 / 1080}; // the form's background, no component
        model.then(call("click", empty)).then(call("click", empty)).then(call("click", empty));
        try (Input input = Input.open(xvfb.display(), Input.Backend.XTEST)) {
            // the window takes the focus at its first click (its focused button repaints): have that happen now
            input.click(Point.at(650, 550));
        }
        try (Screen screen = Screen.open(xvfb.display(), Screen.Backend.AUTO)) {
            screen.waitUntilStable(Target.monitor(0), Duration.ofMillis(600), Duration.ofSeconds(10), 0.0001);
        }
        try (Pixelsense px = open("")) {
            AgentRun run = runToEnd(px, AgentRequest.of("Do something").withMonitor(0));

            assertThat(ScriptedModel.toolResults(model.requests().get(1)).getLast()).contains("No visible change");
            assertThat(run.status()).as(model.requests().stream().map(ScriptedModel::toolResults).toList().toString())
                    .isEqualTo(AgentRun.Status.STUCK);
            assertThat(run.message()).contains("click(0.339, 0.510)").contains("repeated 3 times");
            assertThat(model.requests()).hasSize(3);
        }
    }

    @Test
    void should_stop_at_max_steps_and_on_the_kill_switch() throws Exception {
        model.then(call("click", "x", 0.30, "y", 0.50)).then(call("click", "x", 0.31, "y", 0.51));
        try (Pixelsense px = open("")) {
            AgentRun limited = runToEnd(px, AgentRequest.of("Keep clicking").withMonitor(0).withMaxSteps(2));
            assertThat(limited.status()).isEqualTo(AgentRun.Status.LIMIT_REACHED);
            assertThat(limited.message()).contains("max steps (2)");

            // the model takes its time; meanwhile the user throws the pointer into a corner
            model.clear();
            model.thenRaw((request, reply) -> reply.holdUntilClientGone(false));
            AgentRun run = px.agent().start(AgentRequest.of("Wait for me").withMonitor(0), null);
            while (model.requests().isEmpty()) {
                Thread.sleep(20);
            }
            try (Input user = Input.open(xvfb.display(), Input.Backend.XTEST)) {
                user.move(Point.at(3199, 0));
                assertThat(run.await(Duration.ofSeconds(10))).isTrue();
                user.move(Point.at(1000, 700));
            }
            assertThat(run.status()).isEqualTo(AgentRun.Status.STOPPED);
            assertThat(run.message()).contains("kill switch");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (model.upstream().clientGoneNanos() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(model.upstream().clientGoneNanos()).as("the model call was cancelled").isPositive();
        }
    }

    @Test
    void should_plan_and_draw_but_touch_nothing_in_a_dry_run() throws Exception {
        model.then(click(formA, "name", LEFT), call("type_text", "text", "nobody"), call("click_text", "text", "Submit"))
                .then(call("goal_reached", "summary", "planned"));
        try (Pixelsense px = open("")) {
            AgentRun run = runToEnd(px, AgentRequest.of("Submit the form").withMonitor(0).withDryRun(true));

            assertThat(run.status()).isEqualTo(AgentRun.Status.SUCCEEDED);
            assertThat(ScriptedModel.toolResults(model.requests().get(1))).hasSize(3)
                    .allSatisfy(r -> assertThat(r).startsWith("Dry run: planned"));
            assertThat(Files.readString(run.traceDir().resolve("trace.jsonl"))).contains("Dry run: planned click(");
        }
        // nothing reached the form: the next event it sees is this click of ours
        try (Input input = Input.open(xvfb.display(), Input.Backend.XTEST)) {
            Rect cancel = part(formA, "cancel");
            input.click(Point.at(cancel.x() + 5, cancel.y() + 5));
        }
        assertThat(formA.await(e -> !e.path("e").asText().equals("scrolled"), Duration.ofSeconds(10))
                .get("component").asText()).isEqualTo("cancel");
    }

    @Test
    void should_ground_click_text_by_ocr_return_candidates_when_ambiguous_and_scroll() throws Exception {
        Object[] list = centre(formA, "list", LEFT);
        model.then(call("click_text", "text", "Item"))
                .then(call("click_text", "text", "Item 3"))
                .then(call("scroll", list[0], list[1], list[2], list[3], "dy", 5))
                .then(call("goal_reached", "summary", "done"));
        try (Pixelsense px = open("")) {
            AgentRun run = runToEnd(px, AgentRequest.of("Select item 3").withMonitor(0));

            assertThat(run.status()).as(run.message()).isEqualTo(AgentRun.Status.SUCCEEDED);
            String candidates = ScriptedModel.toolResults(model.requests().get(1)).getFirst();
            assertThat(candidates).startsWith("Not clicked: 'Item' shows in").contains("1. \"Item 1\"", "nth");
            assertThat(formA.await("selected").get("item").asText()).isEqualTo("Item 3");
            assertThat(formA.await(e -> e.path("e").asText().equals("scrolled") && e.path("first").asInt() > 0,
                    Duration.ofSeconds(10))).isNotNull();
            assertThat(ScriptedModel.toolResults(model.requests().get(3)).getLast()).startsWith("Done at")
                    .contains("The screen changed");
        }
    }

    @Test
    void should_refuse_denied_windows_and_key_combos() throws Exception {
        model.then(click(formA, "submit", LEFT), call("key_press", "keys", "alt+ctrl+delete"))
                .then(call("give_up", "reason", "refused"));
        try (Pixelsense px = open("deny_windows: [\"TEST FORM\"]")) {
            AgentRun run = runToEnd(px, AgentRequest.of("Submit").withMonitor(0));

            assertThat(run.status()).isEqualTo(AgentRun.Status.GAVE_UP);
            List<String> results = ScriptedModel.toolResults(model.requests().get(1));
            assertThat(results.get(0)).startsWith("Refused: the window 'pixelsense test form'");
            assertThat(results.get(1)).startsWith("Refused: alt+ctrl+delete is on the deny list");
        }
        try (Input input = Input.open(xvfb.display(), Input.Backend.XTEST)) {
            Rect cancel = part(formA, "cancel");
            input.click(Point.at(cancel.x() + 5, cancel.y() + 5));
        }
        assertThat(formA.await(e -> !e.path("e").asText().equals("scrolled"), Duration.ofSeconds(10))
                .get("component").asText()).isEqualTo("cancel");
        assertThat(FormWindow.TITLE).isEqualTo("pixelsense test form");
    }

    @Test
    void should_zoom_for_a_sharper_crop_and_click_inside_it() throws Exception {
        Rect submit = part(formA, "submit");
        // a region around the Submit button, 3x its size, as fractions of the left monitor
        Rect region = new Rect(submit.x() - submit.width(), submit.y() - submit.height(), submit.width() * 3,
                submit.height() * 3);
        model.then(call("zoom", "x", (double) region.x() / 1920, "y", (double) region.y() / 1080,
                        "width", (double) region.width() / 1920, "height", (double) region.height() / 1080))
                .then(call("click", "x", 0.5, "y", 0.5, "zoom", true))
                .then(call("goal_reached", "summary", "clicked"));
        try (Pixelsense px = open("")) {
            AgentRun run = runToEnd(px, AgentRequest.of("Click submit precisely").withMonitor(0));

            assertThat(run.status()).as(run.message()).isEqualTo(AgentRun.Status.SUCCEEDED);
            assertThat(ScriptedModel.toolResults(model.requests().get(1)).getFirst()).startsWith("Zoomed into")
                    .contains("the next image");
            JsonNode next = model.requests().get(1).body().path("messages");
            JsonNode lastUser = next.get(next.size() - 1);
            assertThat(lastUser.path("content").findValues("image_url")).hasSize(2);
            assertPressedInside(formA, "submit");
        }
    }

    @Test
    void should_ask_before_each_action_in_confirm_mode() throws Exception {
        model.then(click(formA, "cancel", LEFT), click(formA, "subscribe", LEFT))
                .then(click(formA, "submit", LEFT));
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Pixelsense px = open("")) {
            AgentRun run = px.agent().start(AgentRequest.of("Careful").withMonitor(0), (action, where) -> {
                asked.add(action.describe() + " " + where);
                return switch (asked.size()) {
                    case 1 -> Confirmer.Decision.NO;
                    case 2 -> Confirmer.Decision.YES;
                    default -> Confirmer.Decision.STOP;
                };
            });
            assertThat(run.await(Duration.ofSeconds(60))).isTrue();

            assertThat(run.status()).isEqualTo(AgentRun.Status.STOPPED);
            assertThat(run.message()).contains("confirmation prompt");
            assertThat(asked).hasSize(3).first().asString().startsWith("click(").contains("at ");
            assertThat(ScriptedModel.toolResults(model.requests().get(1)).getFirst()).startsWith("The user declined");
            assertPressedInside(formA, "subscribe"); // the declined cancel click never happened
        }
    }

    @Test
    void should_fill_in_and_submit_the_form_from_the_command_line() throws Exception {
        model.then(click(formA, "name", LEFT), call("key_press", "keys", "ctrl+a"),
                        call("type_text", "text", "Grace Hopper"))
                .then(click(formA, "email", LEFT), call("key_press", "keys", "ctrl+a"),
                        call("type_text", "text", "grace@example.org"))
                .then(call("click_text", "text", "Submit"))
                .then(call("goal_reached", "summary", "submitted as Grace Hopper"));
        Path file = traces.resolve("cli-form.yaml");
        Files.writeString(file, config(""));
        dev.pixelsense.testing.Cli.Captured out = dev.pixelsense.testing.Cli.run("agent",
                "Fill in the form with name Grace Hopper, email grace@example.org, and submit it", "--monitor", "0",
                "--display", xvfb.display(), "--config", file.toString());

        assertThat(out.code()).as(out.out() + out.err()).isZero();
        JsonNode submitted = formA.await("submitted");
        assertThat(submitted.get("name").asText()).isEqualTo("Grace Hopper");
        assertThat(submitted.get("email").asText()).isEqualTo("grace@example.org");
        assertThat(out.out()).contains("step 3", "click_text(\"Submit\") -> Clicked 'Submit'",
                "succeeded after 4 steps", "submitted as Grace Hopper", "report.html");
    }
}
