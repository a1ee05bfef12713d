package dev.pixelsense.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.error.PixelsenseException;
import dev.pixelsense.error.RateLimitedException;
import dev.pixelsense.openai.OpenAiJson;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become HTTP: the status from the exception's kind, the body in OpenAI's
 * shape {@code {"error":{"message","type","param","code"}}}, and {@code Retry-After} on 429.
 * Anything that is not a {@link PixelsenseException} is a bug: logged with its stack, answered
 * 500 without internals.
 */
final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    static void write(Context ctx, Throwable failure) {
        if (failure instanceof PixelsenseException p) {
            if (p instanceof RateLimitedException r) {
                ctx.header("Retry-After", Long.toString(r.retryAfterSeconds()));
            }
            write(ctx, p.status(), p.getMessage(), p.type(), p.param(), p.code());
        } else {
            log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), failure);
            write(ctx, 500, "Internal server error (see the server log)", "server_error", null, null);
        }
    }

    static void write(Context ctx, int status, String message, String type, String param, String code) {
        ctx.status(status).contentType("application/json").result(body(message, type, param, code));
    }

    /** The OpenAI error object; also sent as an SSE event when a stream fails after its first chunk. */
    static byte[] body(String message, String type, String param, String code) {
        ObjectNode error = OpenAiJson.MAPPER.createObjectNode();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        ObjectNode root = OpenAiJson.MAPPER.createObjectNode();
        root.set("error", error);
        return OpenAiJson.write(root);
    }
}
