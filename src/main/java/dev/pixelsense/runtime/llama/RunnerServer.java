package dev.pixelsense.runtime.llama;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.PixelsenseException;
import dev.pixelsense.openai.ChatChunk;
import dev.pixelsense.openai.ChatCompletion;
import dev.pixelsense.openai.ChatMessage;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.openai.OpenAiJson;
import dev.pixelsense.openai.Usage;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of a built-in runner process ({@code pixelsense runner}): llama-server's protocol
 * subset that pixelsense speaks to its runners. {@code GET /health} answers 503 while the model
 * loads and 200 once it is ready; {@code POST /v1/chat/completions} generates, whole or as SSE.
 * Listens on 127.0.0.1 only; the server is its only client.
 */
public final class RunnerServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunnerServer.class);

    private final Javalin app;
    private volatile LlamaEngine engine;
    private volatile String loadError;
    private final String modelName;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public RunnerServer(String modelName, int port) {
        this.modelName = modelName;
        this.app = Javalin.create(c -> {
            c.jetty.host = "127.0.0.1";
            c.jetty.port = port;
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = 256L << 20;
            c.http.compressionStrategy = CompressionStrategy.NONE;
            c.startup.showJavalinBanner = false;
            c.routes.get("/health", this::health);
            c.routes.post("/v1/chat/completions", this::chat);
            c.routes.exception(PixelsenseException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.type()));
            c.routes.exception(Exception.class, (e, ctx) -> {
                log.error("runner failure", e);
                error(ctx, 500, String.valueOf(e.getMessage()), "server_error");
            });
        });
    }

    /** Starts listening, then loads the model (health says 503 until then). Blocks until stopped. */
    public void run(Path gguf, int contextSize, int threads, int parallel, int gpuLayers) throws InterruptedException {
        app.start();
        log.info("runner for {} listening on 127.0.0.1:{}, loading {}", modelName, app.port(), gguf);
        long t0 = System.nanoTime();
        try {
            engine = new LlamaEngine(gguf, contextSize, threads, parallel, gpuLayers);
            log.info("loaded {} in {} ms", gguf.getFileName(), (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            loadError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.error("cannot load {}: {}", gguf, loadError);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "runner-shutdown"));
        stopped.await();
    }

    private void health(Context ctx) {
        if (loadError != null) {
            error(ctx, 500, "loading the model failed: " + loadError, "load_error");
        } else if (engine == null) {
            ctx.status(503).contentType("application/json").result("{\"status\":\"loading model\"}");
        } else {
            ctx.contentType("application/json").result("{\"status\":\"ok\"}");
        }
    }

    private void chat(Context ctx) throws IOException {
        LlamaEngine e = engine;
        if (e == null) {
            error(ctx, 503, loadError != null ? "loading the model failed: " + loadError : "the model is still loading",
                    "unavailable_error");
            return;
        }
        ChatRequest request = OpenAiJson.read(ctx.bodyAsBytes(), ChatRequest.class);
        if (request == null || request.messages() == null || request.messages().isEmpty()) {
            throw new BadRequestException("messages are required", "messages");
        }
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        long created = System.currentTimeMillis() / 1000;
        if (!request.streaming()) {
            StringBuilder text = new StringBuilder();
            LlamaEngine.Finish f = e.generate(request, text::append, () -> false);
            ChatCompletion answer = new ChatCompletion(id, "chat.completion", created, modelName,
                    List.of(new ChatCompletion.Choice(0, ChatMessage.assistant(text.toString(), null), f.reason())),
                    Usage.of(f.promptTokens(), f.completionTokens()), null);
            ctx.contentType("application/json").result(OpenAiJson.write(answer));
            return;
        }
        var res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setHeader("Cache-Control", "no-cache");
        OutputStream out = res.getOutputStream();
        AtomicBoolean gone = new AtomicBoolean();
        send(out, chunk(id, created, new ChatChunk.Delta("assistant", "", null, null), null, null), gone);
        LlamaEngine.Finish f = e.generate(request,
                piece -> send(out, chunk(id, created, new ChatChunk.Delta(null, piece, null, null), null, null), gone),
                gone::get);
        if (gone.get()) {
            return;
        }
        send(out, chunk(id, created, new ChatChunk.Delta(null, null, null, null), f.reason(), null), gone);
        if (request.includeUsageInStream()) {
            send(out, new ChatChunk(id, "chat.completion.chunk", created, modelName, List.of(),
                    Usage.of(f.promptTokens(), f.completionTokens()), null), gone);
        }
        write(out, "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII), gone);
    }

    private ChatChunk chunk(String id, long created, ChatChunk.Delta delta, String finish, Usage usage) {
        return new ChatChunk(id, "chat.completion.chunk", created, modelName,
                List.of(new ChatChunk.Choice(0, delta, finish)), usage, null);
    }

    private static void send(OutputStream out, ChatChunk chunk, AtomicBoolean gone) {
        byte[] json = OpenAiJson.write(chunk);
        byte[] frame = new byte[json.length + 8];
        System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, frame, 0, 6);
        System.arraycopy(json, 0, frame, 6, json.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        write(out, frame, gone);
    }

    /** A failed write means the server closed the request: generation stops at the next token. */
    private static void write(OutputStream out, byte[] bytes, AtomicBoolean gone) {
        if (gone.get()) {
            return;
        }
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            gone.set(true);
        }
    }

    private static void error(Context ctx, int status, String message, String type) {
        ctx.status(status).contentType("application/json")
                .result("{\"error\":{\"message\":" + quote(message) + ",\"type\":\"" + type + "\",\"param\":null,"
                        + "\"code\":null}}");
    }

    private static String quote(String s) {
        try {
            return OpenAiJson.MAPPER.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "\"error\"";
        }
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        LlamaEngine e = engine;
        engine = null;
        if (e != null) {
            e.close();
        }
        stopped.countDown();
    }
}
