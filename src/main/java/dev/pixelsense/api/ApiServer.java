package dev.pixelsense.api;

import dev.pixelsense.Version;
import dev.pixelsense.config.PixelsenseConfig;
import dev.pixelsense.config.ServerConfig;
import dev.pixelsense.error.NotFoundException;
import dev.pixelsense.metrics.Metrics;
import dev.pixelsense.model.ModelManager;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: routes, the security checks in front of them, metrics around them, and the one
 * error mapper behind them. Handlers run on virtual threads and may block.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final String START_ATTRIBUTE = "pixelsense.start";
    private static final String ROUTE_ATTRIBUTE = "pixelsense.route";

    private final Javalin app;
    private final ServerConfig server;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScreenHandler screen = new ScreenHandler();

    /**
     * @throws IllegalArgumentException if the bind address is not loopback and no API key is set
     */
    public ApiServer(PixelsenseConfig config, ModelManager models, Metrics metrics,
                     java.util.function.Supplier<dev.pixelsense.store.ModelStore> store,
                     java.util.function.Supplier<dev.pixelsense.vision.DescribeService.TextReader> ocr,
                     dev.pixelsense.jobs.JobService jobService,
                     java.util.function.Supplier<dev.pixelsense.agent.ScreenAgent> screenAgent) {
        this.server = config.server();
        Security.checkBind(server);
        AgentHandler.checkConfig(config.agent(), server.apiKeys());
        Security security = new Security(server);
        HttpMetrics http = new HttpMetrics(metrics);
        ChatHandler chat = new ChatHandler(models, new ImageGuard(server), server.maxBodyBytes(),
                new ScreenImages(screen::screen, config.vision()), config.vision().remoteScreen());
        ModelsHandler modelList = new ModelsHandler(models);
        PullHandler pull = new PullHandler(store);
        LocalModelsHandler local = new LocalModelsHandler(models);
        DescribeHandler describe = new DescribeHandler(new dev.pixelsense.vision.DescribeService(models, config.vision(),
                new dev.pixelsense.vision.ImagePipeline(server.maxImagePixels()), screen::screen, ocr),
                config.vision().remoteScreen(), server.maxBodyBytes());
        JobsHandler jobs = new JobsHandler(jobService);
        AgentHandler agent = new AgentHandler(config.agent(), screenAgent);
        this.app = Javalin.create(c -> {
            c.jetty.host = server.host();
            c.jetty.port = server.port();
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = server.maxBodyBytes();
            c.http.compressionStrategy = CompressionStrategy.NONE;
            c.http.prefer405over404 = true;
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.jetty.modifyHttpConfiguration(h -> h.setSendServerVersion(false));

            long drainCap = Math.max(2 * server.maxBodyBytes(), 1L << 20);
            c.routes.before(ctx -> {
                ctx.attribute(START_ATTRIBUTE, System.nanoTime());
                if (security.check(ctx)) {
                    RefusedBody.discard(ctx, drainCap);   // after-handlers are skipped too
                    ctx.skipRemainingHandlers();
                }
            });
            c.routes.post("/v1/chat/completions", named("/v1/chat/completions", chat::handle));
            c.routes.get("/v1/models", named("/v1/models", modelList::list));
            // <id>, not {id}: model ids may contain slashes (org/model)
            c.routes.get("/v1/models/<id>", named("/v1/models/{id}", modelList::get));
            c.routes.post("/api/pull", named("/api/pull", pull::handle));
            c.routes.get("/api/ps", named("/api/ps", local::ps));
            c.routes.get("/api/system", named("/api/system", ctx -> ctx.json(dev.pixelsense.runtime.SystemInfo.detect())));
            c.routes.post("/api/models/<id>/load", named("/api/models/{id}/load", local::load));
            c.routes.post("/api/models/<id>/unload", named("/api/models/{id}/unload", local::unload));
            c.routes.get("/api/monitors", named("/api/monitors", screen::monitors));
            c.routes.post("/vision/describe", named("/vision/describe", describe::handle));
            c.routes.post("/v1/jobs", named("/v1/jobs", jobs::submit));
            c.routes.get("/v1/jobs", named("/v1/jobs", jobs::list));
            c.routes.get("/v1/jobs/{id}", named("/v1/jobs/{id}", jobs::get));
            c.routes.delete("/v1/jobs/{id}", named("/v1/jobs/{id}", jobs::cancel));
            c.routes.get("/v1/jobs/{id}/events", named("/v1/jobs/{id}/events", jobs::events));
            c.routes.post("/agent/runs", named("/agent/runs", agent::start));
            c.routes.get("/agent/runs", named("/agent/runs", agent::list));
            c.routes.get("/agent/runs/{id}", named("/agent/runs/{id}", agent::get));
            c.routes.delete("/agent/runs/{id}", named("/agent/runs/{id}", agent::stop));
            c.routes.get("/agent/runs/{id}/events", named("/agent/runs/{id}/events", agent::events));
            c.routes.get("/agent/runs/{id}/report", named("/agent/runs/{id}/report", agent::report));
            c.routes.get("/health", named("/health",
                    ctx -> ctx.json(java.util.Map.of("status", "ok", "version", Version.get()))));
            c.routes.get("/ready", named("/ready", this::readiness));
            c.routes.get("/metrics", named("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape())));
            c.routes.after(ctx -> {
                RefusedBody.discard(ctx, drainCap);
                record(ctx, http);
            });
            c.routes.exception(HttpResponseException.class, (e, ctx) -> httpError(ctx, e.getStatus(), e.getMessage()));
            c.routes.exception(Exception.class, (e, ctx) -> ErrorMapper.write(ctx, e));
            c.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    ErrorMapper.write(ctx, new NotFoundException("Unknown route " + ctx.method() + " " + ctx.path(),
                            null, "unknown_route"));
                }
            });
            c.routes.error(405, ctx -> {
                if (ctx.result() == null || !ctx.result().startsWith("{\"error\"")) {
                    httpError(ctx, 405, "Method " + ctx.method() + " is not allowed on " + ctx.path());
                }
            });
        });
    }

    /** Tags the request with its route template, for metrics (after-handlers only see their own). */
    private static Handler named(String route, Handler handler) {
        return ctx -> {
            ctx.attribute(ROUTE_ATTRIBUTE, route);
            handler.handle(ctx);
        };
    }

    private static void httpError(Context ctx, int status, String message) {
        String type = status == 413 ? "invalid_request_error" : status >= 500 ? "server_error" : "invalid_request_error";
        String code = switch (status) {
            case 404 -> "unknown_route";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            default -> null;
        };
        String text = switch (status) {
            case 404 -> "Unknown route " + ctx.method() + " " + ctx.path();
            case 405 -> "Method " + ctx.method() + " is not allowed on " + ctx.path();
            case 413 -> "The request body is larger than this server's limit (server.max_body_size)";
            default -> message;
        };
        ErrorMapper.write(ctx, status, text, type, null, code);
    }

    private void readiness(Context ctx) {
        if (ready.get() && !closed.get()) {
            ctx.json(java.util.Map.of("status", "ready"));
        } else {
            ctx.status(503).json(java.util.Map.of("status", closed.get() ? "stopping" : "starting"));
        }
    }

    private static void record(Context ctx, HttpMetrics http) {
        Long start = ctx.attribute(START_ATTRIBUTE);
        String route = ctx.attribute(ROUTE_ATTRIBUTE);
        if (route == null) {
            route = "unmatched";
        }
        String model = ctx.attribute(HttpMetrics.MODEL_ATTRIBUTE);
        String method = ctx.method().name();
        http.requests.inc(route, method, Integer.toString(ctx.statusCode()), model == null ? "" : model);
        if (start != null) {
            http.latency.observe((System.nanoTime() - start) / 1e9, route, method);
        }
    }

    public ApiServer start() {
        app.start();
        ready.set(true);
        log.info("pixelsense {} listening on http://{}:{}{}", Version.get(), hostForUrl(server.host()), port(),
                server.apiKeys().isEmpty() ? " (no API keys: loopback clients only)" : "");
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return app.port();
    }

    public String baseUrl() {
        return "http://" + hostForUrl(server.host()) + ":" + port();
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            app.stop();
            screen.close();
        }
    }
}
