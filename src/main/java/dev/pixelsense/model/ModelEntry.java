package dev.pixelsense.model;

import dev.pixelsense.config.ModelConfig;
import dev.pixelsense.error.UnavailableException;
import dev.pixelsense.model.spi.BackendContext;
import dev.pixelsense.model.spi.BackendFactory;
import dev.pixelsense.model.spi.ChatBackend;
import dev.pixelsense.openai.ChatRequest;

/** A declared model: its config, admission, and the backend once created. */
final class ModelEntry {
    final ModelConfig config;
    final Admission admission;
    private final BackendFactory factory;
    private final BackendContext context;
    private ChatBackend backend;
    /** When the last request ended (System.nanoTime), for keep-alive. */
    private volatile long lastUsedNanos = System.nanoTime();
    /** The model's current keep-alive: the config's, until a request sets its own. Negative: forever. */
    private volatile java.time.Duration keepAlive;

    ModelEntry(ModelConfig config, BackendFactory factory, BackendContext context) {
        this.config = config;
        this.factory = factory;
        this.context = context;
        this.admission = new Admission(config.id(), config.maxConcurrency(), config.queueSize());
        this.keepAlive = config.keepAlive();
    }

    /** A request ended; {@code requested} is its keep_alive, or null to keep the current one. */
    void touched(java.time.Duration requested) {
        if (requested != null) {
            keepAlive = requested;
        }
        lastUsedNanos = System.nanoTime();
    }

    java.time.Duration keepAlive() {
        return keepAlive;
    }

    /** When an idle loaded local model will be unloaded (epoch millis), or -1 for never. */
    long expiresAtMillis() {
        if (keepAlive.isNegative()) {
            return -1;
        }
        long idleMillis = (System.nanoTime() - lastUsedNanos) / 1_000_000;
        return System.currentTimeMillis() - idleMillis + keepAlive.toMillis();
    }

    /** True when a loaded local model has been idle past its keep-alive. */
    synchronized boolean expired() {
        return backend != null && backend.loadedLocally() && admission.running() == 0 && admission.waiting() == 0
                && !keepAlive.isNegative() && System.nanoTime() - lastUsedNanos >= keepAlive.toNanos();
    }

    synchronized boolean loadedLocally() {
        return backend != null && backend.loadedLocally();
    }

    synchronized java.util.Optional<ChatBackend.LocalState> localState() {
        return backend == null ? java.util.Optional.empty() : backend.local();
    }

    String id() {
        return config.id();
    }

    /** The backend, created on first use; a creation failure is retriable (the next model may work). */
    synchronized ChatBackend backend() {
        if (backend == null) {
            try {
                backend = factory.create(config, context);
            } catch (dev.pixelsense.error.PixelsenseException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new UnavailableException("model '" + id() + "' failed to load: " + e.getMessage(), e);
            }
        }
        return backend;
    }

    synchronized boolean loaded() {
        return backend != null;
    }

    private dev.pixelsense.model.spi.MemoryEstimate estimate;
    private boolean estimated;

    /** The model's memory estimate, computed once; null when unknown or not local. */
    synchronized dev.pixelsense.model.spi.MemoryEstimate estimate() {
        if (!estimated && factory.local()) {
            try {
                estimate = factory.memoryEstimate(config, context);
                estimated = estimate != null;
            } catch (RuntimeException e) {
                estimate = null;
            }
        }
        return estimate;
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /** True when a request would have to load this local model first (its runner is not up). */
    synchronized boolean needsLoad() {
        return factory.local() && (backend == null || !backend.loadedLocally());
    }

    /** Closes the backend; the next request creates it again. */
    synchronized void unload() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    /** Why this model cannot take the request, or null if it can. */
    String refusal(ChatRequest request) {
        if (request.hasImages() && !config.capabilities().vision()) {
            return "model '" + id() + "' does not accept images (capabilities.vision is false)";
        }
        if (request.tools() != null && !request.tools().isEmpty() && !config.capabilities().tools()) {
            return "model '" + id() + "' does not support tools (capabilities.tools is false)";
        }
        return null;
    }

    /** The request as this model gets it: its id, its defaults where the client left gaps. */
    ChatRequest prepare(ChatRequest request) {
        ModelConfig.Defaults d = config.defaults();
        return request.withModel(id()).withDefaults(d.temperature(), d.maxTokens());
    }
}
