package dev.pixelsense.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.model.ModelManager;
import dev.pixelsense.openai.OpenAiJson;
import io.javalin.http.Context;
import java.time.Instant;

/**
 * Local model lifecycle over HTTP: {@code GET /api/ps} (loaded models with memory and expiry),
 * {@code POST /api/models/{id}/load} and {@code POST /api/models/{id}/unload}.
 */
final class LocalModelsHandler {
    private final ModelManager models;

    LocalModelsHandler(ModelManager models) {
        this.models = models;
    }

    void ps(Context ctx) {
        ObjectNode root = OpenAiJson.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("models");
        for (ModelManager.Loaded m : models.loaded()) {
            ObjectNode n = list.addObject().put("id", m.id()).put("runner", m.runner()).put("pid", m.pid())
                    .put("port", m.port()).put("memory_bytes", m.residentBytes()).put("load_ms", m.loadMillis())
                    .put("running", m.running()).put("waiting", m.waiting());
            if (m.expiresAtMillis() < 0) {
                n.putNull("expires_at");
            } else {
                n.put("expires_at", Instant.ofEpochMilli(m.expiresAtMillis()).toString());
            }
        }
        ctx.contentType("application/json").result(OpenAiJson.write(root));
    }

    void load(Context ctx) {
        String id = ctx.pathParam("id");
        models.load(id);
        ctx.contentType("application/json").result("{\"status\":\"loaded\",\"id\":" + quote(id) + "}");
    }

    void unload(Context ctx) {
        String id = ctx.pathParam("id");
        models.unload(id);
        ctx.contentType("application/json").result("{\"status\":\"unloaded\",\"id\":" + quote(id) + "}");
    }

    private static String quote(String s) {
        return OpenAiJson.MAPPER.valueToTree(s).toString();
    }
}
