package dev.pixelsense.model.spi;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * What the model manager lends to backends.
 *
 * @param env environment lookup (for API keys named in the config)
 * @param timers one shared scheduler for timeouts; tasks must be short and never block
 * @param files resolves model file references (paths, hf://, catalog names) through the store
 */
public record BackendContext(Function<String, String> env, ScheduledExecutorService timers, ModelFiles files) {

    /** Finds model files named in the config: a path, or a reference to the model store. */
    @FunctionalInterface
    public interface ModelFiles {
        /**
         * @param autoPull pull a store reference that is not in the cache yet (else: a clear error)
         * @return the local file
         */
        java.nio.file.Path resolve(String reference, boolean autoPull);
    }
}
