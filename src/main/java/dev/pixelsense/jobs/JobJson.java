package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.openai.OpenAiJson;
import java.time.Instant;

/**
 * A job as JSON, the one shape the API answers and webhooks POST: id, object "job", type, status,
 * progress, message, model, priority, attempts, worker, result, error, input, created_at,
 * started_at, finished_at (Unix seconds) and, when the job has one, webhook {url, status, attempts,
 * error, delivered_at}.
 */
public final class JobJson {
    private JobJson() {
    }

    public static ObjectNode of(Job job) {
        ObjectNode n = OpenAiJson.MAPPER.createObjectNode();
        n.put("id", job.id());
        n.put("object", "job");
        n.put("type", job.type());
        n.put("status", job.state().name());
        n.put("progress", job.progress());
        n.put("message", job.message());
        n.put("model", job.model());
        n.put("priority", job.priority());
        n.put("attempts", job.attempts());
        n.put("worker", job.worker());
        n.set("result", job.result());
        n.put("error", job.error());
        n.set("input", job.input());
        n.set("created_at", seconds(job.createdAt()));
        n.set("started_at", seconds(job.startedAt()));
        n.set("finished_at", seconds(job.finishedAt()));
        if (job.webhook() != null) {
            Job.Webhook w = job.webhook();
            ObjectNode hook = n.putObject("webhook");
            hook.put("url", w.url());
            hook.put("status", w.status());
            hook.put("attempts", w.attempts());
            hook.put("error", w.error());
            hook.set("delivered_at", seconds(w.deliveredAt()));
        }
        return n;
    }

    private static JsonNode seconds(Instant t) {
        return t == null ? OpenAiJson.MAPPER.nullNode() : OpenAiJson.MAPPER.getNodeFactory().numberNode(t.getEpochSecond());
    }
}
