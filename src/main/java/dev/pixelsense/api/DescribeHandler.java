package dev.pixelsense.api;

import dev.pixelsense.model.CallContext;
import dev.pixelsense.openai.OpenAiJson;
import dev.pixelsense.vision.DescribeRequest;
import dev.pixelsense.vision.DescribeResult;
import dev.pixelsense.vision.DescribeService;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /vision/describe}: describe the screen or an image, read its text, or find text on
 * it. Capturing the screen is a permission: loopback clients only unless {@code vision.remote_screen},
 * and every capture is logged with the client's address.
 */
final class DescribeHandler {
    private static final Logger log = LoggerFactory.getLogger(DescribeHandler.class);

    private final DescribeService service;
    private final boolean remoteScreen;
    private final long maxBody;

    DescribeHandler(DescribeService service, boolean remoteScreen, long maxBody) {
        this.service = service;
        this.remoteScreen = remoteScreen;
        this.maxBody = maxBody;
    }

    void handle(Context ctx) throws Exception {
        DescribeRequest request = OpenAiJson.read(ChatHandler.body(ctx, maxBody), DescribeRequest.class);
        if (request == null) {
            throw new dev.pixelsense.error.BadRequestException("The request body must be a JSON object");
        }
        request.validate();
        if (request.capturesScreen()) {
            allowScreen(ctx, remoteScreen, request.task());
        }
        CallContext call = new CallContext();
        try (AutoCloseable ignored = DisconnectWatch.start(ctx, call)) {
            DescribeResult result = service.describe(request, call);
            if (result.model() != null) {
                ctx.attribute(HttpMetrics.MODEL_ATTRIBUTE, result.model());
                ctx.header(ChatHandler.MODEL_HEADER, result.model());
            }
            ctx.contentType("application/json").result(OpenAiJson.write(result));
        }
    }

    /** Refuses screen access to a non-loopback client unless allowed, and logs every capture. */
    static void allowScreen(Context ctx, boolean remoteAllowed, String purpose) {
        if (!remoteAllowed) {
            ScreenHandler.requireLoopback(ctx);
        }
        log.info("screen captured for {} ({})", ctx.req().getRemoteAddr(), purpose);
    }
}
