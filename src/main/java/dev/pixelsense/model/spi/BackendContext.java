package dev.pixelsense.model.spi;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * What the model manager lends to backends.
 *
 * @param env environment lookup (for API keys named in the config)
 * @param timers one shared scheduler for timeouts; tasks must be short and never block
 */
public record BackendContext(Function<String, String> env, ScheduledExecutorService timers) {
}
