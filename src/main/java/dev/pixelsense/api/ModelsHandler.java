package dev.pixelsense.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.model.ModelInfo;
import dev.pixelsense.model.ModelManager;
import dev.pixelsense.openai.OpenAiJson;
import io.javalin.http.Context;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}} in OpenAI's shape, plus a pixelsense block. */
final class ModelsHandler {
    private final ModelManager models;
    private final long created = System.currentTimeMillis() / 1000;

    ModelsHandler(ModelManager models) {
        this.models = models;
    }

    void list(Context ctx) {
        ObjectNode root = OpenAiJson.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        models.models().forEach(m -> data.add(describe(m)));
        ctx.contentType("application/json").result(OpenAiJson.write(root));
    }

    void get(Context ctx) {
        ctx.contentType("application/json").result(OpenAiJson.write(describe(models.model(ctx.pathParam("id")))));
    }

    private ObjectNode describe(ModelInfo m) {
        ObjectNode node = OpenAiJson.MAPPER.createObjectNode();
        node.put("id", m.id());
        node.put("object", "model");
        node.put("created", created);
        node.put("owned_by", "pixelsense");
        ObjectNode px = node.putObject("pixelsense");
        px.put("backend", m.backend());
        px.set("aliases", OpenAiJson.MAPPER.valueToTree(m.aliases()));
        px.set("fallbacks", OpenAiJson.MAPPER.valueToTree(m.fallbacks()));
        px.put("vision", m.capabilities().vision());
        px.put("tools", m.capabilities().tools());
        px.put("loaded", m.loaded());
        px.put("running", m.running());
        px.put("waiting", m.waiting());
        return node;
    }
}
