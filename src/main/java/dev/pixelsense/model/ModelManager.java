package dev.pixelsense.model;

import dev.pixelsense.config.ModelConfig;
import dev.pixelsense.config.PixelsenseConfig;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.CancelledException;
import dev.pixelsense.error.NotFoundException;
import dev.pixelsense.error.PixelsenseException;
import dev.pixelsense.error.RetriableException;
import dev.pixelsense.error.UnavailableException;
import dev.pixelsense.metrics.Metrics;
import dev.pixelsense.model.spi.BackendContext;
import dev.pixelsense.openai.ChunkJson;
import dev.pixelsense.openai.ChatCompletion;
import dev.pixelsense.openai.ChatRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a chat request meets a model: it resolves an id or alias, applies the model's
 * defaults, admits the request (concurrency and a bounded queue), runs it on the backend, records
 * metrics, and falls back along the model's {@code fallbacks} on retriable failures, but only
 * until the first token exists, so two answers are never spliced. Thread-safe; calls block and
 * are meant for virtual threads.
 */
public final class ModelManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelManager.class);

    private final Map<String, ModelEntry> byId = new LinkedHashMap<>();
    private final Map<String, ModelEntry> byName = new LinkedHashMap<>();
    private final ScheduledExecutorService timers;
    private final ModelMetrics metrics;
    private final Residency residency;

    public ModelManager(PixelsenseConfig config, Backends backends, Function<String, String> env, Metrics metrics) {
        this(config, backends, env, metrics, (ref, autoPull) -> java.nio.file.Path.of(ref));
    }

    /**
     * @param files resolves model file references of local backends (paths, or store references)
     */
    public ModelManager(PixelsenseConfig config, Backends backends, Function<String, String> env, Metrics metrics,
                        BackendContext.ModelFiles files) {
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pixelsense-timers");
            t.setDaemon(true);
            return t;
        });
        BackendContext context = new BackendContext(env, timers, files);
        for (ModelConfig m : config.models()) {
            ModelEntry entry = new ModelEntry(m, backends.get(m.backend()), context);
            byId.put(m.id(), entry);
            byName.put(m.id(), entry);
            m.aliases().forEach(a -> byName.put(a, entry));
        }
        this.metrics = new ModelMetrics(metrics, byId::values);
        long available = dev.pixelsense.runtime.SystemInfo.detect().availableMemory();
        this.residency = new Residency(byId.values(), config.server().memoryBudget().resolve(available),
                config.server().memoryBudget().describe(available));
        timers.scheduleWithFixedDelay(residency::unloadExpired, 250, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The declared models, in config order. */
    public List<ModelInfo> models() {
        List<ModelInfo> out = new ArrayList<>();
        for (ModelEntry e : byId.values()) {
            out.add(info(e));
        }
        return out;
    }

    /** Looks up a model by id or alias. */
    public ModelInfo model(String name) {
        return info(resolve(name));
    }

    /** Answers a request whole, from the requested model or a fallback. */
    public Served<ChatCompletion> chat(ChatRequest request, CallContext context) {
        return run(request, context, (entry, prepared) -> {
            long t0 = System.nanoTime();
            try (Admission.Permit permit = entry.admission.acquire(context)) {
                ChatCompletion answer;
                try {
                    answer = entry.backend().complete(prepared.withStreaming(false), context);
                } catch (RuntimeException e) {
                    metrics.requests.inc(entry.id(), e instanceof CancelledException ? "cancelled" : "error");
                    throw e;
                } finally {
                    entry.touched(keepAlive(request));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                metrics.requests.inc(entry.id(), "ok");
                metrics.duration.observe(seconds, entry.id());
                metrics.firstToken.observe((System.nanoTime() - context.startNanos()) / 1e9, entry.id());
                if (answer.usage() != null) {
                    metrics.tokens.add(answer.usage().promptTokens(), entry.id(), "in");
                    metrics.tokens.add(answer.usage().completionTokens(), entry.id(), "out");
                }
                return new Served<>(entry.id(), answer.withModel(entry.id()));
            }
        });
    }

    /**
     * Starts a streamed answer and returns once its first chunk exists (or the answer is empty),
     * so that any failure before then can still fall back and be reported with an HTTP status.
     */
    public ServedStream stream(ChatRequest request, CallContext context) {
        return run(request, context, (entry, prepared) -> {
            Admission.Permit permit = entry.admission.acquire(context);
            ChatStream source = null;
            try {
                source = entry.backend().stream(prepared.withStreaming(true), context);
                ChunkJson first = source.nextJson();
                metrics.firstToken.observe((System.nanoTime() - context.startNanos()) / 1e9, entry.id());
                Duration requestedKeepAlive = keepAlive(request);
                return new Served<>(entry.id(), new ServedStream(entry.id(), source, first, permit, metrics,
                        request.includeUsageInStream(), () -> entry.touched(requestedKeepAlive)));
            } catch (RuntimeException e) {
                if (source != null) {
                    source.close();
                }
                permit.close();
                entry.touched(keepAlive(request));
                metrics.requests.inc(entry.id(), e instanceof CancelledException ? "cancelled" : "error");
                throw e;
            }
        }).value();
    }

    /** Closes a model's backend (a local model unloads); the next request loads it again. */
    public void unload(String name) {
        resolve(name).unload();
    }

    /**
     * Loads every model marked {@code preload: true} in the background and sends each a one-token
     * warm-up request, so the first user request finds it loaded and warm. Failures are logged.
     */
    public void preload() {
        for (ModelEntry e : byId.values()) {
            if (!e.config.preload()) {
                continue;
            }
            Thread.ofVirtual().name("preload-" + e.id()).start(() -> {
                long t0 = System.nanoTime();
                try {
                    ChatRequest warmUp = ChatRequest.of(e.id(), java.util.List.of(
                            dev.pixelsense.openai.ChatMessage.user("Hi"))).withLimits(1, null);
                    chat(warmUp, new CallContext());
                    log.info("preloaded model '{}' in {} ms", e.id(), (System.nanoTime() - t0) / 1_000_000);
                } catch (PixelsenseException ex) {
                    log.warn("preloading model '{}' failed: {}", e.id(), ex.getMessage());
                }
            });
        }
    }

    /** True when the model a request names is local and not loaded, so answering starts with a load. */
    public boolean needsLoad(String name) {
        ModelEntry e = name == null ? null : byName.get(name);
        return e != null && e.needsLoad();
    }

    /** Loads a model now (a local model starts its runner), as the first request would. */
    public void load(String name) {
        ModelEntry e = resolve(name);
        if (e.needsLoad()) {
            residency.makeRoom(e);
        }
        e.backend().warmUp();
        e.touched(null);
    }

    /** A loaded local model, for {@code /api/ps} and {@code pixelsense ps}. */
    public record Loaded(String id, String runner, long pid, int port, long residentBytes, long loadMillis,
                         long expiresAtMillis, int running, int waiting) {
    }

    /** The local models whose runners are up. */
    public List<Loaded> loaded() {
        List<Loaded> out = new ArrayList<>();
        for (ModelEntry e : byId.values()) {
            e.localState().ifPresent(s -> out.add(new Loaded(e.id(), s.runner(), s.pid(), s.port(), s.residentBytes(),
                    s.loadMillis(), e.expiresAtMillis(), e.admission.running(), e.admission.waiting())));
        }
        return out;
    }

    /** A request's {@code keep_alive}: seconds, a duration string, or -1 (forever); null when absent. */
    static Duration keepAlive(ChatRequest request) {
        var node = request.keepAlive();
        if (node == null || node.isNull()) {
            return null;
        }
        String text = node.asText().strip();
        if (text.equals("-1") || node.isNumber() && node.asDouble() < 0) {
            return Duration.ofSeconds(-1);
        }
        try {
            return node.isNumber() ? Duration.ofMillis(Math.round(node.asDouble() * 1000))
                    : dev.pixelsense.config.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("keep_alive: " + e.getMessage(), "keep_alive");
        }
    }

    private interface Attempt<T> {
        Served<T> on(ModelEntry entry, ChatRequest prepared);
    }

    private <T> Served<T> run(ChatRequest request, CallContext context, Attempt<T> attempt) {
        keepAlive(request);
        ModelEntry primary = resolve(request.model());
        String refusal = primary.refusal(request);
        if (refusal != null) {
            throw new BadRequestException(refusal, "model", "model_not_capable");
        }
        List<ModelEntry> chain = new ArrayList<>();
        chain.add(primary);
        // by name: the config accepts an alias as a fallback, and byId would give null for it
        primary.config.fallbacks().forEach(f -> chain.add(byName.get(f)));
        List<String> failures = new ArrayList<>();
        RetriableException last = null;
        for (ModelEntry candidate : chain) {
            context.throwIfCancelled();
            if (candidate != primary && candidate.refusal(request) != null) {
                continue;
            }
            try {
                if (candidate.needsLoad()) {
                    residency.makeRoom(candidate);
                }
                Served<T> served = attempt.on(candidate, candidate.prepare(request));
                if (candidate != primary) {
                    metrics.fallbacks.inc(primary.id(), candidate.id());
                    log.info("model '{}' failed ({}); served by fallback '{}'", primary.id(),
                            String.join("; ", failures), candidate.id());
                }
                return served;
            } catch (RetriableException e) {
                context.throwIfCancelled();
                last = e;
                failures.add(e.getMessage());
                log.warn("model '{}' failed: {}", candidate.id(), e.getMessage());
            }
        }
        if (chain.size() > 1 && last != null) {
            throw withChain(last, failures);
        }
        throw last != null ? last : new UnavailableException("no model of the chain can take this request");
    }

    /** Keeps the last failure's status but tells every failure of the chain. */
    private static RetriableException withChain(RetriableException last, List<String> failures) {
        if (failures.size() < 2) {
            return last;
        }
        String all = "every model of the fallback chain failed: " + String.join("; ", failures);
        return switch (last) {
            case dev.pixelsense.error.RateLimitedException r ->
                    new dev.pixelsense.error.RateLimitedException(all, r.retryAfterSeconds());
            case dev.pixelsense.error.UpstreamTimeoutException t -> new dev.pixelsense.error.UpstreamTimeoutException(all);
            case UnavailableException u -> new UnavailableException(all, u);
            default -> new dev.pixelsense.error.UpstreamException(all, last);
        };
    }

    private ModelEntry resolve(String name) {
        ModelEntry e = name == null ? null : byName.get(name);
        if (e == null) {
            String known = byId.isEmpty() ? "none are configured (add models to the config file)"
                    : "available: " + String.join(", ", byName.keySet());
            throw new NotFoundException("The model '" + name + "' does not exist; " + known, "model",
                    "model_not_found");
        }
        return e;
    }

    private static ModelInfo info(ModelEntry e) {
        ModelConfig c = e.config;
        return new ModelInfo(c.id(), c.backend(), c.aliases(), c.fallbacks(), c.capabilities(), e.loaded(),
                e.admission.running(), e.admission.waiting());
    }

    Collection<ModelEntry> entries() {
        return byId.values();
    }

    @Override
    public void close() {
        for (ModelEntry e : byId.values()) {
            try {
                e.unload();
            } catch (PixelsenseException | IllegalStateException ex) {
                log.warn("closing model '{}': {}", e.id(), ex.getMessage());
            }
        }
        timers.shutdownNow();
    }
}
