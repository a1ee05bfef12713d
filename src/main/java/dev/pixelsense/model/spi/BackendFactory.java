package dev.pixelsense.model.spi;

import dev.pixelsense.config.ConfigNode;
import dev.pixelsense.config.ModelConfig;
import java.util.Set;
import java.util.function.Function;

/**
 * The extension point for a kind of backend ({@code backend: openai} in the config). Factories
 * are registered in {@code dev.pixelsense.model.Backends}.
 */
public interface BackendFactory {

    /** The {@code backend:} value this factory serves. */
    String name();

    /** The model-entry keys this backend reads, besides the common ones. */
    Set<String> settingKeys();

    /**
     * Checks the backend's settings of one model entry, including environment variables it
     * names, and throws a ConfigException naming the key.
     */
    void validate(ConfigNode model, Function<String, String> env);

    /** True for backends that load a model locally (a runner process), which keep-alive and loading apply to. */
    default boolean local() {
        return false;
    }

    /**
     * For local backends: the memory the model will take once loaded, or null when it cannot be
     * told yet (e.g. its file is not pulled). Remote backends take none.
     */
    default MemoryEstimate memoryEstimate(ModelConfig model, BackendContext context) {
        return null;
    }

    /** Creates the backend for a model. May be slow (a local model loads); failures are exceptions. */
    ChatBackend create(ModelConfig model, BackendContext context);
}
