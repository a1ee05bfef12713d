package dev.pixelsense.agent;

import dev.pixelsense.config.AgentConfig;
import dev.pixelsense.config.Durations;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.ConflictException;
import dev.pixelsense.error.NotFoundException;
import dev.pixelsense.model.CallContext;
import dev.pixelsense.model.Served;
import dev.pixelsense.openai.ChatCompletion;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.screen.Input;
import dev.pixelsense.screen.Monitor;
import dev.pixelsense.screen.Screen;
import dev.pixelsense.screen.Target;
import dev.pixelsense.vision.ocr.Ocr;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The screen agent: reaches a goal by looking at the screen and acting on it, one verified action
 * at a time (see {@link AgentLoop} for the loop, {@link AgentTools} for the tools). One run drives
 * the mouse and keyboard at a time; a second start while one runs is refused (409). Finished runs
 * stay listed (the last {@value #KEEP_FINISHED}); their traces stay on disk.
 *
 * <pre>{@code
 * AgentRun run = agent.start(AgentRequest.of("Open the File menu"), null);
 * run.follow(e -> System.out.println(e.type() + " " + e.data()));
 * run.await(Duration.ofMinutes(5));
 * }</pre>
 *
 * <p>Thread-safe. Each run has its own thread and its own {@link Input} (opened for the run,
 * closed after it); the {@link Screen} is shared.
 */
public final class ScreenAgent implements AutoCloseable {
    static final int KEEP_FINISHED = 20;
    private static final Logger log = LoggerFactory.getLogger(ScreenAgent.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** How the agent asks a model: the model manager's {@code chat}. */
    @FunctionalInterface
    public interface Chat {
        Served<ChatCompletion> chat(ChatRequest request, CallContext context);
    }

    /** A request resolved against the config: everything a run needs to know. */
    record Plan(AgentConfig config, String model, Integer monitor, int maxSteps, Duration maxDuration,
                boolean dryRun) {
        Target target() {
            return monitor == null ? Target.desktop() : Target.monitor(monitor);
        }

        String describeTarget() {
            return monitor == null ? "the whole desktop (all monitors)" : "monitor " + monitor;
        }
    }

    private final AgentConfig config;
    private final String visionModel;
    private final Chat chat;
    private final Supplier<Screen> screen;
    private final Supplier<Input> input;
    private final Supplier<Ocr> ocr;
    private final Map<String, AgentRun> runs = new LinkedHashMap<>();
    private AgentRun active;

    /**
     * @param visionModel the model when neither the request nor {@code agent.model} names one (vision.model)
     * @param input       opens an input for one run (closed by the run)
     * @param ocr         the OCR behind click_text (opened on first use; may throw when not pulled)
     */
    public ScreenAgent(AgentConfig config, String visionModel, Chat chat, Supplier<Screen> screen,
                       Supplier<Input> input, Supplier<Ocr> ocr) {
        this.config = config;
        this.visionModel = visionModel;
        this.chat = chat;
        this.screen = screen;
        this.input = input;
        this.ocr = ocr;
    }

    public AgentConfig config() {
        return config;
    }

    /**
     * Starts a run on its own thread.
     *
     * @param confirmer asked before each action (confirm mode), or null
     * @throws ConflictException when a run is going on
     * @throws BadRequestException when no model is configured or named
     * @throws NotFoundException for an unknown monitor
     */
    public synchronized AgentRun start(AgentRequest request, Confirmer confirmer) {
        if (active != null && active.status() == AgentRun.Status.RUNNING) {
            throw new ConflictException("An agent run is already driving the screen (" + active.id() + "); stop it "
                    + "first (DELETE /agent/runs/" + active.id() + ")", "agent_busy");
        }
        Plan plan = plan(request);
        Screen s = screen.get();
        if (plan.monitor() != null && s.monitors().stream().noneMatch(m -> m.id() == plan.monitor())) {
            throw new NotFoundException("No monitor " + plan.monitor() + "; the monitors are: " + s.monitors().stream()
                    .map(m -> m.id() + " (" + m.bounds() + ")").collect(Collectors.joining(", ")), "monitor",
                    "monitor_not_found");
        }
        String id = "run_" + LocalDateTime.now().format(ID_TIME) + "_"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        AgentRun run = new AgentRun(id, request, config.tracesDir().resolve(id));
        Input in = input.get();
        Trace trace;
        try {
            trace = Trace.create(run.traceDir());
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
        ActionExecutor executor = new ActionExecutor(s, in, ocr, config.denyKeys(), config.denyWindows(),
                plan.dryRun(), confirmer, config.maxEdge());
        AgentLoop loop = new AgentLoop(plan, s, in, executor, chat, run, trace);
        runs.put(id, run);
        while (runs.size() > KEEP_FINISHED + 1) {
            runs.remove(runs.keySet().iterator().next());
        }
        active = run;
        log.info("agent {}: {} (model {}, {}, max {} steps{})", id, request.goal(), plan.model(),
                plan.describeTarget(), plan.maxSteps(), plan.dryRun() ? ", dry run" : "");
        Thread.ofPlatform().name("agent-" + id).start(() -> {
            try (trace; in) {
                loop.run();
            } catch (RuntimeException e) {
                log.error("agent {} failed", id, e);
            } finally {
                log.info("agent {}: {} - {} (trace {})", id, run.status().wire(), run.message(), run.report());
            }
        });
        return run;
    }

    private Plan plan(AgentRequest request) {
        String model = request.model() != null ? request.model()
                : config.model() != null ? config.model() : visionModel;
        if (model == null) {
            throw new BadRequestException("No model for the agent: set agent.model (or vision.model) in the config to "
                    + "a model with vision and tool calling, or pass one", "model", "no_agent_model");
        }
        return new Plan(config, model, request.monitor() != null ? request.monitor() : config.monitor(),
                request.maxSteps() != null ? request.maxSteps() : config.maxSteps(),
                request.maxDuration() != null ? Durations.parse(request.maxDuration()) : config.maxDuration(),
                request.dryRunOn());
    }

    /** @throws NotFoundException for an unknown (or long finished) run */
    public synchronized AgentRun get(String id) {
        AgentRun run = runs.get(id);
        if (run == null) {
            throw new NotFoundException("No agent run '" + id + "'", "id", "run_not_found");
        }
        return run;
    }

    /** The runs this process remembers, newest first. */
    public synchronized List<AgentRun> runs() {
        List<AgentRun> list = new ArrayList<>(runs.values());
        java.util.Collections.reverse(list);
        return list;
    }

    /** Monitors, for the CLI's summary. */
    public List<Monitor> monitors() {
        return screen.get().monitors();
    }

    /** Stops every run and waits a little for each to end. */
    @Override
    public void close() {
        for (AgentRun run : runs()) {
            if (run.status() == AgentRun.Status.RUNNING) {
                run.cancel("the server is shutting down");
                try {
                    run.await(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
