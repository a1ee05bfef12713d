package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.openai.OpenAiJson;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a job is laid out in its Redis hash (type, input, model, priority, state, progress, message,
 * result, error, attempts, worker, created, started, finished, lane, and webhook, webhook_status,
 * webhook_attempts, webhook_error, webhook_at) and how events look on the pub/sub channel.
 */
final class RedisJobCodec {
    private RedisJobCodec() {
    }

    /** A job from HGETALL's flat [field, value, ...] reply; null when the hash is gone. */
    static Job job(String id, List<?> flat) {
        if (flat == null || flat.isEmpty()) {
            return null;
        }
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            h.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        String message = h.get("message");
        String url = h.get("webhook");
        Job.Webhook webhook = url == null ? null : new Job.Webhook(url, h.getOrDefault("webhook_status", "pending"),
                Integer.parseInt(h.getOrDefault("webhook_attempts", "0")), h.get("webhook_error"),
                instant(h.get("webhook_at")));
        return new Job(id, h.get("type"), JobState.parse(h.get("state")), Double.parseDouble(h.getOrDefault("progress",
                "0")), message == null || message.isEmpty() ? null : message, json(h.get("input")), h.get("model"),
                Integer.parseInt(h.getOrDefault("priority", "0")), json(h.get("result")), h.get("error"),
                Integer.parseInt(h.getOrDefault("attempts", "0")), h.get("worker"), instant(h.get("created")),
                instant(h.get("started")), instant(h.get("finished")), webhook);
    }

    static JsonNode json(String text) {
        try {
            return text == null ? null : OpenAiJson.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a job in Redis holds invalid JSON: " + e.getMessage(), e);
        }
    }

    private static Instant instant(String millis) {
        return millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }

    static String event(JobEvent event) {
        ObjectNode node = OpenAiJson.MAPPER.createObjectNode().put("id", event.id()).put("kind", event.kind())
                .put("state", event.state().name()).put("progress", event.progress()).put("message", event.message());
        return node.toString();
    }

    static JobEvent event(JsonNode n) {
        JsonNode message = n.path("message");
        return new JobEvent(n.path("id").asText(), n.path("kind").asText(), JobState.parse(n.path("state").asText()),
                n.path("progress").asDouble(), message.isTextual() ? message.asText() : null);
    }
}
