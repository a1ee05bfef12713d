package dev.pixelsense.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.openai.OpenAiJson;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Server-sent events on a Javalin response, and the small body-reading helpers the handlers share. */
final class Sse {
    private Sse() {}

    /** Commits a 200 {@code text/event-stream} response (no caching, no proxy buffering); returns its body. */
    static OutputStream start(Context ctx) throws IOException {
        var res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        return res.getOutputStream();
    }

    /** Writes {@code event: NAME} with {@code value} as JSON data, and flushes. */
    static void event(OutputStream out, String name, Object value) throws IOException {
        out.write(("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.write(OpenAiJson.write(value));
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A comment line that keeps idle connections (and proxies) from timing out. */
    static void keepAlive(OutputStream out) throws IOException {
        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A string field of a JSON body, or null when absent; 400 naming the field when not a string. */
    static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new BadRequestException("'" + field + "' must be a string", field);
        }
        return n.asText();
    }
}
