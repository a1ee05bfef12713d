package dev.pixelsense.agent;

import dev.pixelsense.agent.AgentRun.Status;
import dev.pixelsense.error.CancelledException;
import dev.pixelsense.error.PixelsenseException;
import dev.pixelsense.model.Served;
import dev.pixelsense.openai.ChatCompletion;
import dev.pixelsense.openai.ChatMessage;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.openai.ToolCall;
import dev.pixelsense.screen.Frame;
import dev.pixelsense.screen.FrameDiff;
import dev.pixelsense.screen.Input;
import dev.pixelsense.screen.Screen;
import dev.pixelsense.vision.ImageEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of the agent loop: capture -> ask the model (tools) -> validate each call -> execute ->
 * wait until the screen settles -> verify what changed -> report back, until goal_reached,
 * give_up, a limit, the loop guard, or a stop. Runs on its own thread; see {@link ScreenAgent}.
 */
final class AgentLoop {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentLoop.class);
    /** Fewer changed pixels than this count as no change (a blinking caret is about 20-40). */
    static final int CHANGE_PIXELS = 48;
    static final int MAX_TEXT_ONLY = 3;

    private final ScreenAgent.Plan plan;
    private final Screen screen;
    private final Input input;
    private final ActionExecutor executor;
    private final AgentTools tools;
    private final AgentRun run;
    private final Trace trace;
    private final ScreenAgent.Chat chat;
    private final Screenshots screenshots;
    private final RunWatch watch;

    AgentLoop(ScreenAgent.Plan plan, Screen screen, Input input, ActionExecutor executor, ScreenAgent.Chat chat,
              AgentRun run, Trace trace) {
        this.plan = plan;
        this.screen = screen;
        this.input = input;
        this.executor = executor;
        this.tools = new AgentTools(plan.config().coordinates());
        this.chat = chat;
        this.screenshots = new Screenshots(plan.config().maxEdge());
        this.watch = new RunWatch(plan, input, run);
        this.run = run;
        this.trace = trace;
    }

    void run() {
        Thread watcher = Thread.ofVirtual().name("agent-watch").start(watch);
        try {
            loop();
        } catch (LimitReached e) {
            end(Status.LIMIT_REACHED, e.getMessage());
        } catch (ActionExecutor.StoppedByUser e) {
            end(Status.STOPPED, "stopped by the user at the confirmation prompt");
        } catch (CancelledException e) {
            end(watch.overTime() ? Status.LIMIT_REACHED : Status.STOPPED,
                    run.stopReason() != null ? run.stopReason() : e.getMessage());
        } catch (PixelsenseException e) { // a model call cut short by a stop fails in its own way
            end(watch.overTime() ? Status.LIMIT_REACHED : run.stopReason() != null ? Status.STOPPED : Status.FAILED,
                    run.stopReason() != null ? run.stopReason() : e.getMessage());
        } catch (RuntimeException e) {
            end(Status.FAILED, "internal error: " + e);
            throw e;
        } finally {
            watcher.interrupt();
            screenshots.close();
            if (run.status() == Status.RUNNING) { // end() itself failed
                run.finish(Status.FAILED, "the run ended without a status (see the server log)",
                        new AgentEvent("end", 0, run.elapsedMillis(), map("status", Status.FAILED.wire())));
            }
        }
    }

    private void loop() {
        long t0 = System.nanoTime();
        Frame frame = screen.capture(plan.target());
        Screenshots.Shot shot = screenshots.now(frame);
        View view = shot.view();
        long preparedNs = System.nanoTime() - t0; // capture, scaling and encoding of the screenshot
        int textOnly = 0;
        String screenName = frame.bounds().width() + "x" + frame.bounds().height() + " at " + frame.bounds().x() + ","
                + frame.bounds().y();
        Conversation conversation = new Conversation(SystemPrompt.text(plan, tools, view, screenName),
                run.request().goal(), plan.config().screenshots());
        emit("run", 0, Map.of("id", run.id(), "goal", run.request().goal(), "model", plan.model(),
                "screen", screenName, "shown", view.shown().getWidth() + "x" + view.shown().getHeight(),
                "dry_run", plan.dryRun(), "max_steps", plan.maxSteps(), "trace", trace.dir().toString()));
        LoopGuard guard = new LoopGuard();
        View.Zoomed zoom = null;
        String note = "The screen now.";
        for (int step = 1; step <= plan.maxSteps(); step++) {
            checkLimits(step);
            long e0 = System.nanoTime();
            List<String> images = new ArrayList<>(List.of(shot.dataUrl()));
            if (zoom != null) {
                images.add(ImageEncoder.jpegDataUrl(zoom.image()));
            }
            long encodeNs = System.nanoTime() - e0;
            conversation.observe(step, "Step " + step + " of " + plan.maxSteps() + ". " + note, images);
            ChatRequest request = ChatRequest.of(plan.model(), conversation.messages())
                    .withTools(tools.definitions(), "auto").withLimits(1024, 0.0);
            emit("request", step, Map.of("messages", request.messages().size(), "images", images.size()));
            long m0 = System.nanoTime();
            Served<ChatCompletion> served = chat.chat(request, run.call);
            long modelNs = System.nanoTime() - m0;
            ChatMessage answer = served.value().choices().getFirst().message();
            List<ToolCall> calls = answer.toolCalls() == null ? List.of() : answer.toolCalls();
            conversation.answered(answer);
            emit("response", step, map("model", served.servedBy(), "text", answer.text(),
                    "tool_calls", calls.stream().map(c -> c.function().name() + " " + c.function().arguments())
                            .toList(),
                    "model_ms", ms(modelNs)));
            List<Mark> marks = new ArrayList<>();
            long overheadNs = preparedNs + encodeNs;
            if (calls.isEmpty()) {
                conversation.note("answered without a tool call");
                if (++textOnly >= MAX_TEXT_ONLY) {
                    end(Status.FAILED, "the model answered " + MAX_TEXT_ONLY + " times without calling a tool");
                    return;
                }
                note = "Act with the tools (or call goal_reached / give_up); text answers do nothing.";
                finishStep(step, view, marks, overheadNs, modelNs);
                preparedNs = 0;
                continue;
            }
            textOnly = 0;
            View.Zoomed nextZoom = null;
            Frame current = frame;
            long settledVersion = -1;
            for (ToolCall call : calls) {
                AgentAction action;
                try {
                    action = tools.parse(call, new AgentTools.Shown(view.shown().getWidth(), view.shown().getHeight(),
                            zoom == null ? 0 : zoom.image().getWidth(), zoom == null ? 0 : zoom.image().getHeight()));
                } catch (AgentTools.InvalidCall e) {
                    conversation.result(call, "Invalid call: " + e.getMessage(), call.function().name() + ": invalid");
                    emit("action", step, map("action", String.valueOf(call.function().name()), "result",
                            e.getMessage(), "executed", false, "failed", true));
                    continue;
                }
                if (action instanceof AgentAction.GoalReached g) {
                    finishStep(step, view, marks, overheadNs, modelNs);
                    end(Status.SUCCEEDED, g.summary());
                    return;
                }
                if (action instanceof AgentAction.GiveUp g) {
                    finishStep(step, view, marks, overheadNs, modelNs);
                    end(Status.GAVE_UP, g.reason());
                    return;
                }
                checkLimits(step);
                long x0 = System.nanoTime();
                watch.acting(true);
                ActionExecutor.Outcome outcome;
                try {
                    outcome = executor.execute(action, new View(current, view.shown()), zoom);
                    watch.placedByUs(input.position());
                } finally {
                    watch.acting(false);
                }
                long executeNs = System.nanoTime() - x0;
                marks.addAll(outcome.marks());
                String text = outcome.text();
                boolean changed = false;
                long settleNs = 0;
                long reactNs = -1;
                long verifyNs = 0;
                if (outcome.executed() && action.acts()) {
                    long s0 = System.nanoTime();
                    Settle.Result settled = Settle.after(screen, plan.target(), current,
                            plan.config().settleReaction(), plan.config().settleQuiet(), plan.config().settleTimeout(),
                            CHANGE_PIXELS, screenshots::offer);
                    settledVersion = settled.version();
                    reactNs = settled.reaction() == null ? -1 : settled.reaction().toNanos();
                    long v0 = System.nanoTime();
                    FrameDiff diff = FrameDiff.between(current, settled.frame());
                    changed = diff.changedFraction() * current.width() * current.height() >= CHANGE_PIXELS;
                    text += " " + Verification.describe(diff, changed, settled.quiet(), view);
                    current = settled.frame();
                    verifyNs = System.nanoTime() - v0;
                    settleNs = v0 - s0;
                }
                if (outcome.zoom() != null) {
                    nextZoom = outcome.zoom();
                }
                overheadNs += executeNs + settleNs + verifyNs;
                conversation.result(call, text, action.describe() + ": " + (outcome.failed() ? "failed"
                        : !outcome.executed() ? "not executed" : changed ? "screen changed" : "no visible change"));
                emit("action", step, map("action", action.describe(), "tool", action.tool(), "result", text,
                        "executed", outcome.executed(), "failed", outcome.failed(), "changed", changed,
                        "execute_ms", ms(executeNs), "settle_ms", ms(settleNs), "verify_ms", ms(verifyNs),
                        "reacted_after_ms", reactNs < 0 ? null : ms(reactNs)));
                if (outcome.executed() && action.acts() && guard.record(action, changed)) {
                    finishStep(step, view, marks, overheadNs, modelNs);
                    end(Status.STUCK, "stopped: " + action.describe() + " was repeated " + LoopGuard.REPEATS
                            + " times in " + LoopGuard.WINDOW + " actions without any visible change");
                    return;
                }
            }
            finishStep(step, view, marks, overheadNs, modelNs);
            long r0 = System.nanoTime();
            if (current != frame) { // the settled frame is the next screenshot, often prepared while settling
                shot = settledVersion >= 0 ? screenshots.shot(current, settledVersion) : screenshots.now(current);
                frame = current;
                view = shot.view();
            }
            zoom = nextZoom;
            preparedNs = System.nanoTime() - r0;
            note = zoom != null ? "The screen now, then the zoomed crop." : "The screen now.";
        }
        end(Status.LIMIT_REACHED, "max steps (" + plan.maxSteps() + ") reached without goal_reached");
    }

    private void finishStep(int step, View view, List<Mark> marks, long overheadNs, long modelNs) {
        trace.step(step, view, marks);
        emit("step", step, map("overhead_ms", ms(overheadNs), "model_ms", ms(modelNs)));
    }

    private void checkLimits(int step) {
        if (run.stopReason() != null) {
            throw new CancelledException(run.stopReason());
        }
        if (run.elapsedMillis() > plan.maxDuration().toMillis()) {
            throw new LimitReached("max duration (" + plan.maxDuration().toSeconds() + " s) reached at step " + step);
        }
    }

    /** A limit other than max steps, ending the run with LIMIT_REACHED. */
    static final class LimitReached extends CancelledException {
        LimitReached(String message) {
            super(message);
        }
    }

    private void end(Status status, String message) {
        String why = run.stopReason() != null && status == Status.STOPPED ? run.stopReason() : message;
        int steps = run.events().stream().mapToInt(AgentEvent::step).max().orElse(0);
        AgentEvent last = new AgentEvent("end", steps, run.elapsedMillis(), map("status", status.wire(),
                "message", why, "steps", steps, "duration_ms", run.elapsedMillis(),
                "report", trace.report().toString(), "screenshots", screenshots.stats()));
        try {
            trace.record(last);
            trace.writeReport(); // before the run is seen to end: whoever waits for it may open the report
        } catch (RuntimeException e) {
            // the run must still end (a run left "running" would block every later one)
            log.warn("agent {}: the trace could not be completed: {}", run.id(), e.getMessage());
        }
        run.finish(status, why, last);
    }

    private void emit(String type, int step, Map<String, Object> data) {
        trace.record(run.emit(type, step, data));
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
