package dev.pixelsense.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.jobs.Job;
import dev.pixelsense.jobs.JobEvent;
import dev.pixelsense.jobs.JobJson;
import dev.pixelsense.jobs.JobQueue;
import dev.pixelsense.jobs.JobRequest;
import dev.pixelsense.jobs.JobService;
import dev.pixelsense.jobs.JobState;
import dev.pixelsense.openai.OpenAiJson;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The jobs API: {@code POST /v1/jobs} (202 + the job), {@code GET /v1/jobs/{id}},
 * {@code GET /v1/jobs?status=&limit=}, {@code DELETE /v1/jobs/{id}} (cancel) and
 * {@code GET /v1/jobs/{id}/events} (SSE: the current state, then progress and state events until a
 * terminal one). A job's JSON: id, object "job", type, status, progress, message, model, priority,
 * attempts, worker, result, error, created_at, started_at, finished_at (Unix seconds).
 */
final class JobsHandler {
    private static final int MAX_LIMIT = 1000;

    private final JobService service;
    private final JobQueue jobs;

    JobsHandler(JobService service) {
        this.service = service;
        this.jobs = service.queue();
    }

    void submit(Context ctx) {
        JsonNode body = OpenAiJson.read(ctx.bodyAsBytes(), JsonNode.class);   // size capped by Javalin (413)
        if (!body.isObject()) {
            throw new BadRequestException("The body must be a JSON object {type, input, ...}");
        }
        String key = Sse.text(body, "idempotency_key");
        if (key == null) {
            key = ctx.header("Idempotency-Key");
        }
        JobRequest request = new JobRequest(Sse.text(body, "type"), body.get("input"), Sse.text(body, "model"),
                priority(body.path("priority")), key, Sse.text(body, "webhook"));
        // the type's own checks run now: bad input is a 400, not a failed job later
        ctx.status(202).contentType("application/json").result(OpenAiJson.write(json(service.submit(request))));
    }

    /** An integer -100..100, or high / normal / low. */
    private static int priority(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return 0;
        }
        if (n.isTextual()) {
            return JobRequest.priority(n.asText());
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new BadRequestException("'priority' must be high, normal, low or an integer -100..100", "priority");
        }
        return n.asInt();
    }

    void get(Context ctx) {
        ctx.contentType("application/json").result(OpenAiJson.write(json(jobs.get(ctx.pathParam("id")))));
    }

    void list(Context ctx) {
        String status = ctx.queryParam("status");
        int limit = 100;
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new BadRequestException("'limit' must be 1 to " + MAX_LIMIT, "limit");
            }
        }
        ObjectNode root = OpenAiJson.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        jobs.list(status == null || status.isEmpty() ? null : JobState.parse(status), limit).forEach(j -> data.add(json(j)));
        ctx.contentType("application/json").result(OpenAiJson.write(root));
    }

    void cancel(Context ctx) {
        ctx.contentType("application/json").result(OpenAiJson.write(json(jobs.cancel(ctx.pathParam("id")))));
    }

    /**
     * SSE until the job ends or the client leaves. Subscribes before reading the current state, so no
     * event falls between; re-reads the job every 2 s as well, since pub/sub may drop an event.
     */
    void events(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        LinkedBlockingQueue<JobEvent> events = new LinkedBlockingQueue<>();
        try (JobQueue.Subscription ignored = jobs.subscribe(id, events::add)) {
            Job job = jobs.get(id);   // 404 before the stream starts
            OutputStream out = Sse.start(ctx);
            Sse.event(out, "state", json(job));
            while (!job.state().terminal()) {
                JobEvent event = events.poll(2, TimeUnit.SECONDS);
                if (event == null) {
                    Job now = jobs.get(id);
                    if (!now.state().equals(job.state())) {
                        Sse.event(out, "state", json(now));
                    } else {
                        Sse.keepAlive(out);
                    }
                    job = now;
                } else if (event.kind().equals(JobEvent.PROGRESS)) {
                    ObjectNode p = OpenAiJson.MAPPER.createObjectNode().put("id", id).put("progress", event.progress())
                            .put("message", event.message());
                    Sse.event(out, "progress", p);
                } else {
                    job = jobs.get(id);
                    Sse.event(out, "state", json(job));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client left: nothing to answer
        }
    }

    static ObjectNode json(Job job) {
        return JobJson.of(job);
    }
}
