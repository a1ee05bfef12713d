package dev.pixelsense.bench;

import dev.pixelsense.agent.AgentEvent;
import dev.pixelsense.agent.AgentRequest;
import dev.pixelsense.agent.AgentRun;
import dev.pixelsense.agent.ScreenAgent;
import dev.pixelsense.config.AgentConfig;
import dev.pixelsense.model.Served;
import dev.pixelsense.openai.ChatCompletion;
import dev.pixelsense.openai.ChatMessage;
import dev.pixelsense.openai.ToolCall;
import dev.pixelsense.screen.Input;
import dev.pixelsense.screen.Point;
import dev.pixelsense.screen.Screen;
import dev.pixelsense.vision.ImageEncoder;
import java.awt.Robot;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's per-step overhead without model time (issue 7): capture + encode + execute + settle
 * + verify, median and p95, on a 1920x1080 Xvfb with a real Swing form (the test fixture
 * FormWindow, in its own JVM) and a model that answers at once with prepared tool calls (so the
 * model time is ~0 and the rest is ours). A cycle of five one-action steps: click the name field,
 * type a character, toggle a check box, move the pointer onto the background (the check box loses
 * its hover look), move it a little further (nothing changes: the step waits out the reaction
 * window, agent.settle_reaction). Steps are reported by whether their action changed the screen.
 *
 * <p>Anchor, in the same run: the fixed-sleep step of the agents we compare with (a full-screen
 * Robot capture encoded as PNG, as pyautogui-based loops send, the same action, then a fixed
 * sleep of 2 s, the low end of the 2-5 s they wait).
 *
 * <p>Usage (DISPLAY set to the Xvfb, the form on screen at 100,100, 800x600): {@code AgentBench STEPS
 * ANCHOR_STEPS X Y} where X,Y is an empty spot of the form's background.
 */
public final class AgentBench {
    public static void main(String[] args) throws Exception {
        int steps = Integer.parseInt(args[0]);
        int anchorSteps = Integer.parseInt(args[1]);
        double emptyX = Double.parseDouble(args[2]);
        double emptyY = Double.parseDouble(args[3]);
        AtomicInteger turn = new AtomicInteger();
        Path traces = Files.createTempDirectory("agent-bench");
        AgentConfig d = AgentConfig.defaults();
        String quietMs = System.getenv("SETTLE_QUIET_MS");
        Duration quiet = quietMs == null ? d.settleQuiet() : Duration.ofMillis(Long.parseLong(quietMs));
        System.out.println("settle: reaction " + d.settleReaction().toMillis() + " ms, quiet " + quiet.toMillis()
                + " ms" + (quietMs == null ? " (the defaults)" : " (SETTLE_QUIET_MS)"));
        AgentConfig config = new AgentConfig(false, null, 0, steps + 1, Duration.ofMinutes(30), d.screenshots(),
                d.maxEdge(), d.coordinates(), d.settleReaction(), quiet, d.settleTimeout(), false,
                d.denyKeys(), d.denyWindows(), traces);
        List<Double> execute = new ArrayList<>();
        List<Double> settle = new ArrayList<>();
        List<Double> verify = new ArrayList<>();
        List<Double> reacted = new ArrayList<>();
        List<Double> withEffect = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        try (Screen screen = Screen.open()) {
            ScreenAgent.Chat chat = (request, call) -> {
                int n = turn.getAndIncrement();
                ToolCall tool;
                if (n >= steps) {
                    tool = ToolCall.function("c" + n, "goal_reached", "{\"summary\":\"bench done\"}");
                } else if (n % 5 == 0) {
                    tool = ToolCall.function("c" + n, "click", "{\"x\":0.1875,\"y\":0.1259}"); // FormWindow at 100,100: the name field
                } else if (n % 5 == 1) {
                    tool = ToolCall.function("c" + n, "type_text", "{\"text\":\"" + (char) ('a' + n % 26) + "\"}");
                } else if (n % 5 == 2) {
                    tool = ToolCall.function("c" + n, "click", "{\"x\":0.1615,\"y\":0.2185}"); // the check box
                } else {
                    // onto the background, then a little further: the second move changes nothing
                    double dx = n % 5 == 3 ? 0 : 10;
                    tool = ToolCall.function("c" + n, "move", String.format(Locale.ROOT, "{\"x\":%.4f,\"y\":%.4f}",
                            (emptyX + dx) / 1920, (emptyY + dx) / 1080));
                }
                ChatMessage message = ChatMessage.assistant(null, List.of(tool));
                return new Served<>("instant", new ChatCompletion("b", "chat.completion", 0, "instant",
                        List.of(new ChatCompletion.Choice(0, message, "tool_calls")), null, null));
            };
            ScreenAgent agent = new ScreenAgent(config, "instant", chat, () -> screen, Input::open, () -> {
                throw new IllegalStateException("no OCR in this benchmark");
            });
            AgentRun run = agent.start(AgentRequest.of("benchmark"), null);
            run.await(Duration.ofMinutes(30));
            List<AgentEvent> events = run.events();
            for (AgentEvent e : events) {
                if (e.type().equals("action") && e.step() > 1 && e.get("settle_ms") != null) {
                    execute.add(((Number) e.get("execute_ms")).doubleValue());
                    settle.add(((Number) e.get("settle_ms")).doubleValue());
                    verify.add(((Number) e.get("verify_ms")).doubleValue());
                    if (e.get("reacted_after_ms") != null) {
                        reacted.add(((Number) e.get("reacted_after_ms")).doubleValue());
                    }
                }
                boolean acted = events.stream().anyMatch(a -> a.type().equals("action") && a.step() == e.step());
                if (e.type().equals("step") && e.step() > 1 && acted) { // step 1 warms the JIT; the last only ends
                    boolean changed = events.stream().anyMatch(a -> a.type().equals("action") && a.step() == e.step()
                            && Boolean.TRUE.equals(a.get("changed")));
                    (changed ? withEffect : without).add(((Number) e.get("overhead_ms")).doubleValue());
                }
            }
            System.out.printf(Locale.ROOT, "run: %s after %d steps: %s; screenshots: %s%n", run.status().wire(),
                    turn.get() - 1, run.message(), events.getLast().get("screenshots"));
            events.stream().filter(e -> e.type().equals("action") && !Boolean.TRUE.equals(e.get("changed")))
                    .forEach(e -> System.out.println("no change: step " + e.step() + " " + e.get("action") + " -> "
                            + e.get("result")));
        }
        List<Double> anchor = anchor(anchorSteps, emptyX, emptyY);
        System.out.println();
        System.out.println("| step | n | median ms | p95 ms |");
        System.out.println("|---|---|---|---|");
        List<Double> all = new ArrayList<>(withEffect);
        all.addAll(without);
        row("pixelsense, all steps", all);
        row("pixelsense, steps whose action changed the screen", withEffect);
        row("pixelsense, steps whose action changed nothing (waits out settle_reaction)", without);
        row("  of which: execute (XTest, XSync)", execute);
        row("  of which: settle (react, then quiet)", settle);
        row("  of which: verify (frame diff)", verify);
        row("  (the form's reaction: first change seen after)", reacted);
        row("anchor: Robot capture + PNG + same click + fixed 2 s sleep", anchor);
        System.out.printf(Locale.ROOT, "%nratio (median, effect / anchor): %.3f%n", median(withEffect) / median(anchor));
    }

    private static List<Double> anchor(int steps, double x, double y) throws Exception {
        List<Double> out = new ArrayList<>();
        Robot robot = new Robot();
        try (Input input = Input.open()) {
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                BufferedImage shot = robot.createScreenCapture(new Rectangle(0, 0, 1920, 1080));
                ImageEncoder.encode(shot, ImageEncoder.Format.PNG, 1f);
                input.click(Point.at(x, y));
                Thread.sleep(2000);
                out.add((System.nanoTime() - t0) / 1e6);
            }
        }
        return out;
    }

    private static void row(String name, List<Double> v) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f |%n", name, v.size(), median(v), percentile(v, 0.95));
    }

    private static double median(List<Double> v) {
        return percentile(v, 0.5);
    }

    private static double percentile(List<Double> v, double q) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = v.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
