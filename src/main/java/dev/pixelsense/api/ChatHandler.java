package dev.pixelsense.api;

import dev.pixelsense.error.CancelledException;
import dev.pixelsense.error.PayloadTooLargeException;
import dev.pixelsense.error.PixelsenseException;
import dev.pixelsense.model.CallContext;
import dev.pixelsense.model.ModelManager;
import dev.pixelsense.model.Served;
import dev.pixelsense.model.ServedStream;
import dev.pixelsense.openai.ChunkJson;
import dev.pixelsense.openai.ChatCompletion;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.openai.OpenAiJson;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions}: read and check the request, hand it to the model manager,
 * write the answer as JSON or as Server-Sent Events. The HTTP status is decided before the first
 * byte: a stream is only started once the model produced its first chunk. After that, a failure
 * is sent as an {@code {"error":...}} event and the stream ends without {@code [DONE]}.
 */
final class ChatHandler {
    private static final Logger log = LoggerFactory.getLogger(ChatHandler.class);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    static final String MODEL_HEADER = "x-pixelsense-model";
    private static final byte[] LOADING = ": loading model\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final long LOADING_EVERY_MS = 2_000;

    private final ModelManager models;
    private final ImageGuard images;
    private final long maxBody;
    private final ScreenImages screenImages;
    private final boolean remoteScreen;
    private final StreamRelay relay = new StreamRelay();

    ChatHandler(ModelManager models, ImageGuard images, long maxBody, ScreenImages screenImages, boolean remoteScreen) {
        this.models = models;
        this.images = images;
        this.maxBody = maxBody;
        this.screenImages = screenImages;
        this.remoteScreen = remoteScreen;
    }

    void handle(Context ctx) throws IOException {
        ChatRequest request = OpenAiJson.read(body(ctx, maxBody), ChatRequest.class);
        if (request == null) {
            throw new dev.pixelsense.error.BadRequestException("The request body must be a JSON object");
        }
        request.validate();
        request = images.check(request, (url, at) -> {
            DescribeHandler.allowScreen(ctx, remoteScreen, "chat image " + url);
            return screenImages.capture(url, at);
        });
        CallContext call = new CallContext();
        try (AutoCloseable ignored = DisconnectWatch.start(ctx, call)) {
            if (request.streaming()) {
                ChatRequest streamed = request;
                relay.run(() -> stream(ctx, streamed, call), call);
            } else {
                Served<ChatCompletion> served = models.chat(request, call);
                ctx.attribute(HttpMetrics.MODEL_ATTRIBUTE, served.servedBy());
                ctx.header(MODEL_HEADER, served.servedBy());
                ctx.contentType("application/json").result(OpenAiJson.write(served.value()));
            }
        } catch (CancelledException e) {
            log.debug("client went away: {}", e.getMessage());
            ctx.status(499);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs on a relay thread (see {@link StreamRelay}): the upstream call, from its connect to
     * the last chunk, and the writes to the client.
     */
    private void stream(Context ctx, ChatRequest request, CallContext call) {
        if (models.needsLoad(request.model())) {
            streamWhileLoading(ctx, request, call);
            return;
        }
        try (ServedStream stream = models.stream(request, call)) {
            ctx.attribute(HttpMetrics.MODEL_ATTRIBUTE, stream.servedBy());
            ctx.res().setHeader(MODEL_HEADER, stream.servedBy());
            OutputStream out = startEvents(ctx, call);
            if (out != null) {
                pump(stream, out, call);
            }
        }
    }

    /**
     * A local model that must load first can take longer than clients wait for a first byte, so
     * the stream starts at once and SSE comments ({@code : loading}) keep it alive until the first
     * chunk. The status is committed early: a failure before the first chunk becomes an error
     * event, and the model header is left out (the chunks name the serving model).
     */
    private void streamWhileLoading(Context ctx, ChatRequest request, CallContext call) {
        OutputStream out = startEvents(ctx, call);
        if (out == null) {
            return;
        }
        Thread ticker = Thread.ofVirtual().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    synchronized (out) {
                        out.write(LOADING);
                        out.flush();
                    }
                    Thread.sleep(LOADING_EVERY_MS);
                }
            } catch (IOException e) {
                call.cancel();
            } catch (InterruptedException done) {
                // the model answered (or failed)
            }
        });
        ServedStream stream;
        try {
            stream = models.stream(request, call);
        } catch (PixelsenseException e) {
            stopTicker(ticker);
            if (!(e instanceof CancelledException)) {
                errorEvent(out, e, call);
            }
            return;
        }
        stopTicker(ticker);
        try (stream) {
            ctx.attribute(HttpMetrics.MODEL_ATTRIBUTE, stream.servedBy());
            pump(stream, out, call);
        }
    }

    private static void stopTicker(Thread ticker) {
        ticker.interrupt();
        try {
            ticker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static OutputStream startEvents(Context ctx, CallContext call) {
        try {
            return Sse.start(ctx);
        } catch (IOException e) {
            call.cancel();
            return null;
        }
    }

    private static void pump(ServedStream stream, OutputStream out, CallContext call) {
        try {
            for (ChunkJson chunk = stream.nextJson(); chunk != null; chunk = stream.nextJson()) {
                out.write(DATA);
                out.write(chunk.bytes());
                out.write(END);
                out.flush();
            }
            out.write(DONE);
            out.flush();
        } catch (CancelledException e) {
            call.cancel();
        } catch (PixelsenseException e) {
            log.warn("stream from '{}' failed after it started: {}", stream.servedBy(), e.getMessage());
            errorEvent(out, e, call);
        } catch (IOException clientGone) {
            call.cancel();
        }
    }

    private static void errorEvent(OutputStream out, PixelsenseException e, CallContext call) {
        try {
            out.write(DATA);
            out.write(ErrorMapper.body(e.getMessage(), e.type(), e.param(), e.code()));
            out.write(END);
            out.flush();
        } catch (IOException gone) {
            call.cancel();
        }
    }

    /** The request body, refusing it with 413 as soon as it is known to be over {@code limit}. */
    static byte[] body(Context ctx, long limit) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                throw tooLarge(limit);
            }
            return bytes;
        }
    }

    private static PayloadTooLargeException tooLarge(long limit) {
        return new PayloadTooLargeException("The request body is larger than this server's limit of "
                + dev.pixelsense.config.ByteSizes.format(limit) + " (server.max_body_size)", null);
    }
}
