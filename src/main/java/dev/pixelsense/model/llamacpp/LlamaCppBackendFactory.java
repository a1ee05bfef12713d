package dev.pixelsense.model.llamacpp;

import dev.pixelsense.config.ConfigNode;
import dev.pixelsense.config.ModelConfig;
import dev.pixelsense.model.spi.BackendContext;
import dev.pixelsense.model.spi.BackendFactory;
import dev.pixelsense.model.spi.ChatBackend;
import java.util.Set;
import java.util.function.Function;

/** {@code backend: llamacpp}: a GGUF model in its own runner process (built-in or llama-server). */
public final class LlamaCppBackendFactory implements BackendFactory {

    @Override
    public String name() {
        return "llamacpp";
    }

    @Override
    public boolean local() {
        return true;
    }

    @Override
    public Set<String> settingKeys() {
        return LlamaCppSettings.KEYS;
    }

    @Override
    public void validate(ConfigNode model, Function<String, String> env) {
        LlamaCppSettings.read(model);
    }

    @Override
    public ChatBackend create(ModelConfig model, BackendContext context) {
        return new LlamaCppBackend(model, LlamaCppSettings.read(model.settings()), context);
    }
}
