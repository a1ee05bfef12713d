package dev.pixelsense.model.spi;

import dev.pixelsense.model.CallContext;
import dev.pixelsense.model.ChatStream;
import dev.pixelsense.openai.ChatAggregator;
import dev.pixelsense.openai.ChatChunk;
import dev.pixelsense.openai.ChatCompletion;
import dev.pixelsense.openai.ChatRequest;

/**
 * What a backend implements: answer one request, whole or streamed. Backends hold no policy:
 * admission, defaults, fallback, metrics and the served model name are the model manager's.
 * Calls arrive on virtual threads and may block. Failures are {@code PixelsenseException}s;
 * {@code RetriableException}s make the manager try the next model.
 */
public interface ChatBackend extends AutoCloseable {

    /** Streams the answer; returns once the backend accepted the request (not at the first token). */
    ChatStream stream(ChatRequest request, CallContext context);

    /** The whole answer; by default the stream folded into one completion. */
    default ChatCompletion complete(ChatRequest request, CallContext context) {
        try (ChatStream stream = stream(request.withStreaming(true), context)) {
            ChatAggregator aggregator = new ChatAggregator();
            for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
                aggregator.add(c);
            }
            return aggregator.result();
        }
    }

    /**
     * For backends that hold a loaded model (a runner process): its state, for keep-alive,
     * {@code /api/ps} and eviction. Empty for remote backends, which hold nothing worth unloading.
     */
    default java.util.Optional<LocalState> local() {
        return java.util.Optional.empty();
    }

    /** True while a local model is loaded; cheap (no /proc reads), for timers that run often. */
    default boolean loadedLocally() {
        return local().isPresent();
    }

    /** Loads what the backend needs (starts its runner) without answering anything. */
    default void warmUp() {
    }

    /** A loaded local model, as reported by its backend. */
    record LocalState(String runner, long pid, int port, long residentBytes, long loadMillis) {
    }

    /** Frees everything the backend holds (connections, processes). Idempotent. */
    @Override
    default void close() {
    }
}
