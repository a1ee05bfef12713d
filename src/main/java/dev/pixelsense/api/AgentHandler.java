package dev.pixelsense.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.agent.AgentEvent;
import dev.pixelsense.agent.AgentRequest;
import dev.pixelsense.agent.AgentRun;
import dev.pixelsense.agent.ScreenAgent;
import dev.pixelsense.config.AgentConfig;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.PermissionException;
import dev.pixelsense.openai.OpenAiJson;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The agent API: {@code POST /agent/runs} starts a run, {@code GET /agent/runs[/{id}]} shows them,
 * {@code GET /agent/runs/{id}/events} (or {@code GET /agent/runs/{id}} with {@code Accept:
 * text/event-stream}) follows one as SSE, {@code DELETE /agent/runs/{id}} stops one and
 * {@code GET /agent/runs/{id}/report} serves its HTML report.
 *
 * <p>Remote control of a desktop: off unless {@code agent.enabled}, and then only with API keys,
 * loopback clients included ({@link #checkConfig} refuses to start otherwise; {@link Security}
 * checks the key on every request when keys are set).
 */
final class AgentHandler {
    private static final Set<String> FIELDS = Set.of("goal", "model", "monitor", "max_steps", "max_duration",
            "dry_run");

    private final AgentConfig config;
    private final Supplier<ScreenAgent> agent;

    AgentHandler(AgentConfig config, Supplier<ScreenAgent> agent) {
        this.config = config;
        this.agent = agent;
    }

    /** An enabled agent API needs API keys: remote control must never be one unauthenticated request away. */
    static void checkConfig(AgentConfig agent, List<String> apiKeys) {
        if (agent.enabled() && apiKeys.isEmpty()) {
            throw new IllegalArgumentException("agent.enabled needs server.api_keys (or PIXELSENSE_API_KEY): the agent "
                    + "API controls this desktop's mouse and keyboard, so it requires a key even on loopback");
        }
    }

    private ScreenAgent enabled() {
        if (!config.enabled()) {
            throw new PermissionException("The agent API is disabled; set agent.enabled: true and server.api_keys in "
                    + "the config to allow remote control of this desktop", "agent_disabled");
        }
        return agent.get();
    }

    void start(Context ctx) {
        ScreenAgent a = enabled();
        JsonNode body = OpenAiJson.read(ctx.bodyAsBytes(), JsonNode.class);
        if (!body.isObject()) {
            throw new BadRequestException("The body must be a JSON object {goal, model?, monitor?, max_steps?, "
                    + "max_duration?, dry_run?}");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new BadRequestException("Unknown field '" + f + "'; allowed: " + String.join(", ", FIELDS.stream()
                        .sorted().toList()), f);
            }
        }
        AgentRequest request = new AgentRequest(Sse.text(body, "goal"), Sse.text(body, "model"),
                integer(body, "monitor"), integer(body, "max_steps"), Sse.text(body, "max_duration"),
                body.has("dry_run") ? bool(body, "dry_run") : null);
        AgentRun run = a.start(request, null);
        ctx.status(201).header("Location", "/agent/runs/" + run.id()).contentType("application/json")
                .result(OpenAiJson.write(run.toJson()));
    }

    void list(Context ctx) {
        List<Map<String, Object>> data = enabled().runs().stream().map(AgentRun::toJson).toList();
        ctx.contentType("application/json").result(OpenAiJson.write(Map.of("object", "list", "data", data)));
    }

    void get(Context ctx) throws IOException, InterruptedException {
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("text/event-stream")) {
            events(ctx);
            return;
        }
        ctx.contentType("application/json").result(OpenAiJson.write(enabled().get(ctx.pathParam("id")).toJson()));
    }

    /** Stops a run; answers once it ended (within a few seconds: the current action finishes first). */
    void stop(Context ctx) throws InterruptedException {
        AgentRun run = enabled().get(ctx.pathParam("id"));
        run.cancel("stopped through the API (DELETE)");
        run.await(Duration.ofSeconds(10));
        ctx.contentType("application/json").result(OpenAiJson.write(run.toJson()));
    }

    void report(Context ctx) throws IOException {
        AgentRun run = enabled().get(ctx.pathParam("id"));
        if (!java.nio.file.Files.exists(run.report())) {
            throw new dev.pixelsense.error.NotFoundException("The report of " + run.id() + " is written when the run "
                    + "ends (status: " + run.status().wire() + ")", "id", "report_not_ready");
        }
        // inline images and styles only: the page can load nothing and run no script
        ctx.header("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
                .contentType("text/html; charset=utf-8").result(java.nio.file.Files.readAllBytes(run.report()));
    }

    /** SSE: every event so far, then each new one, until the run's {@code end} event or the client leaves. */
    void events(Context ctx) throws IOException, InterruptedException {
        AgentRun run = enabled().get(ctx.pathParam("id"));
        LinkedBlockingQueue<AgentEvent> queue = new LinkedBlockingQueue<>();
        try (AutoCloseable ignored = run.follow(queue::add)) {
            OutputStream out = Sse.start(ctx);
            while (true) {
                AgentEvent e = queue.poll(5, TimeUnit.SECONDS);
                if (e == null) {
                    Sse.keepAlive(out);
                    continue;
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("step", e.step());
                data.put("at_ms", e.at());
                data.putAll(e.data());
                Sse.event(out, e.type(), data);
                if (e.type().equals("end")) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client left; the run goes on
        } catch (Exception e) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e);
        }
    }

    private static Integer integer(JsonNode body, String key) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new BadRequestException("'" + key + "' must be an integer", key);
        }
        return v.asInt();
    }

    private static boolean bool(JsonNode body, String key) {
        JsonNode v = body.get(key);
        if (!v.isBoolean()) {
            throw new BadRequestException("'" + key + "' must be true or false", key);
        }
        return v.asBoolean();
    }
}
