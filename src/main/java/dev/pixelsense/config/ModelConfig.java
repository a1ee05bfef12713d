package dev.pixelsense.config;

import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code models:}. Backend-specific keys stay in {@link #settings()} and are read by
 * the backend itself, so a typo there is still reported with its file and line.
 *
 * @param keepAlive how long a local model stays loaded after its last request; negative = forever
 * @param queueSize requests that may wait for a slot; one more gets 429 with Retry-After
 * @param preload load at server start, with a warm-up request, so the first user request is fast
 */
public record ModelConfig(
        String id,
        String backend,
        List<String> aliases,
        List<String> fallbacks,
        Duration keepAlive,
        int maxConcurrency,
        int queueSize,
        Defaults defaults,
        Capabilities capabilities,
        boolean preload,
        ConfigNode settings) {

    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_CONCURRENCY = 4;
    public static final int DEFAULT_QUEUE_SIZE = 64;

    public ModelConfig {
        aliases = List.copyOf(aliases);
        fallbacks = List.copyOf(fallbacks);
    }

    /** Parameters applied when a request leaves them out. */
    public record Defaults(Double temperature, Integer maxTokens, Integer contextSize) {
        public static final Defaults NONE = new Defaults(null, null, null);
    }

    /** What the model accepts; requests needing more are refused (or skip this model as a fallback). */
    public record Capabilities(boolean vision, boolean tools) {
        public static final Capabilities ALL = new Capabilities(true, true);
    }
}
