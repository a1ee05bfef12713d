package dev.pixelsense.model.openai;

import dev.pixelsense.config.ConfigNode;
import dev.pixelsense.config.ModelConfig;
import dev.pixelsense.model.spi.BackendContext;
import dev.pixelsense.model.spi.BackendFactory;
import dev.pixelsense.model.spi.ChatBackend;
import java.util.Set;
import java.util.function.Function;

/** {@code backend: openai}: any OpenAI-compatible upstream (OpenAI, Gemini, vLLM, Ollama, ...). */
public final class OpenAiBackendFactory implements BackendFactory {

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public Set<String> settingKeys() {
        return OpenAiSettings.KEYS;
    }

    @Override
    public void validate(ConfigNode model, Function<String, String> env) {
        OpenAiSettings.read(model.string("id", "?"), model, env);
    }

    @Override
    public ChatBackend create(ModelConfig model, BackendContext context) {
        return new OpenAiBackend(model.id(), OpenAiSettings.read(model.id(), model.settings(), context.env()),
                context.timers());
    }
}
