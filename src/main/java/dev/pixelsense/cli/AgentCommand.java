package dev.pixelsense.cli;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.agent.AgentEvent;
import dev.pixelsense.agent.AgentRequest;
import dev.pixelsense.agent.AgentRun;
import dev.pixelsense.agent.Confirmer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pixelsense agent "goal"}: runs the screen agent here, printing each step as it happens.
 * Ctrl+C stops the run (the trace and report are still written); so does moving the mouse into a
 * screen corner.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Reach a goal on this screen: look, act with the mouse and keyboard, verify, repeat.",
                "Stop it with Ctrl+C or by moving the mouse into a screen corner. Every run leaves a trace folder "
                        + "with annotated screenshots and report.html."})
final class AgentCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "GOAL", description = "What to achieve, in words.")
    String goal;

    @Option(names = {"-m", "--model"}, description = "Model with vision and tool calling (default: agent.model, "
            + "else vision.model).")
    String model;

    @Option(names = "--monitor", description = "Look at and act on this monitor only (default: all monitors).")
    Integer monitor;

    @Option(names = "--max-steps", description = "Model turns before stopping (default: agent.max_steps, 15).")
    Integer maxSteps;

    @Option(names = "--max-duration", paramLabel = "DURATION", description = "Time limit, e.g. 90s, 5m "
            + "(default: agent.max_duration, 5m).")
    String maxDuration;

    @Option(names = "--dry-run", description = "Plan and draw the actions in the trace; never touch the mouse or "
            + "keyboard.")
    boolean dryRun;

    @Option(names = "--confirm", description = "Ask before each action: y (do it), n (skip it), q (stop).")
    boolean confirm;

    @Option(names = "--display", paramLabel = "NAME", description = "X11 display (default: $DISPLAY).")
    String display;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    @Override
    public Integer call() throws InterruptedException {
        if (display != null) {
            System.setProperty("pixelsense.display", display);
        }
        AgentRequest request = AgentRequest.of(goal).withModel(model).withMonitor(monitor).withMaxSteps(maxSteps)
                .withMaxDuration(maxDuration).withDryRun(dryRun);
        try (Pixelsense px = Pixelsense.open(config.load(), System::getenv)) {
            AgentRun run = px.agent().start(request, confirm ? this::ask : null);
            Thread stopper = new Thread(() -> {
                run.cancel("stopped with Ctrl+C");
                try {
                    run.await(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(stopper);
            try (AutoCloseable ignored = run.follow(this::print)) {
                run.await(Duration.ofDays(1));
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException e) {
                    // shutting down already: the hook is running
                }
            }
            return run.status() == AgentRun.Status.SUCCEEDED ? 0 : 1;
        }
    }

    private void print(AgentEvent e) {
        switch (e.type()) {
            case "run" -> out.printf("agent %s: %s%n  model %s, screen %s shown as %s, max %s steps%s%n  trace %s%n",
                    e.get("id"), e.get("goal"), e.get("model"), e.get("screen"), e.get("shown"), e.get("max_steps"),
                    Boolean.TRUE.equals(e.get("dry_run")) ? ", DRY RUN" : "", e.get("trace"));
            case "response" -> {
                out.printf("step %d  model %s ms%n", e.step(), e.get("model_ms"));
                Object text = e.get("text");
                if (text != null && !text.toString().isBlank()) {
                    out.println("  says: " + text.toString().strip().replace("\n", "\n        "));
                }
            }
            case "action" -> out.printf("  %s -> %s%s%n", e.get("action"), e.get("result"),
                    e.get("settle_ms") == null ? "" : String.format(Locale.ROOT, "  (execute %s ms, settle %s ms)",
                            e.get("execute_ms"), e.get("settle_ms")));
            case "end" -> out.printf("%s after %s %s (%.1f s): %s%n  report %s%n", e.get("status"), e.get("steps"),
                    Integer.valueOf(1).equals(e.get("steps")) ? "step" : "steps",
                    ((Number) e.get("duration_ms")).doubleValue() / 1000, e.get("message"), e.get("report"));
            default -> {
            }
        }
    }

    /** One reader for all prompts: a new one per prompt would drop lines the previous one buffered. */
    private BufferedReader answers;

    private Confirmer.Decision ask(dev.pixelsense.agent.AgentAction action, String where) {
        if (answers == null) {
            answers = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        BufferedReader in = answers;
        while (true) {
            out.printf("  do %s %s? [y]es / [n]o, skip it / [q]uit: ", action.describe(), where);
            String line;
            try {
                line = in.readLine();
            } catch (java.io.IOException e) {
                return Confirmer.Decision.STOP;
            }
            if (line == null) {
                return Confirmer.Decision.STOP;
            }
            switch (line.strip().toLowerCase(Locale.ROOT)) {
                case "y", "yes" -> {
                    return Confirmer.Decision.YES;
                }
                case "n", "no" -> {
                    return Confirmer.Decision.NO;
                }
                case "q", "quit" -> {
                    return Confirmer.Decision.STOP;
                }
                default -> {
                }
            }
        }
    }
}
