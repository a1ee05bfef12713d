package dev.pixelsense.model.openai;

import dev.pixelsense.config.ConfigNode;
import dev.pixelsense.config.ModelConfig;
import dev.pixelsense.model.spi.BackendContext;
import dev.pixelsense.model.spi.BackendFactory;
import dev.pixelsense.model.spi.ChatBackend;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
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

    /**
     * A client for a local runner process: one deployment, no key, patient first-token and idle
     * timeouts (a CPU model can think for a while), a short connect timeout (it is on loopback).
     * A loopback runner is read with {@link LoopbackUpstream} on the caller's thread: on a small
     * machine the JDK client's selector and worker threads took CPU from the model.
     */
    public static ChatBackend forRunner(String modelId, String baseUrl, ScheduledExecutorService timers) {
        OpenAiSettings.Deployment d = new OpenAiSettings.Deployment(java.net.URI.create(baseUrl + "/").resolve(
                "chat/completions"), null, modelId, java.util.Map.of());
        OpenAiSettings s = new OpenAiSettings(java.util.List.of(d), new OpenAiSettings.Timeouts(
                java.time.Duration.ofSeconds(2), java.time.Duration.ofMinutes(5), java.time.Duration.ofMinutes(2),
                java.time.Duration.ofMinutes(30)), java.time.Duration.ofSeconds(1));
        return new OpenAiBackend(modelId, s, timers, LoopbackUpstream.handles(d.chatUrl())
                ? new LoopbackUpstream(s.timeouts().connect()) : new JdkUpstream(s.timeouts().connect()));
    }

    @Override
    public ChatBackend create(ModelConfig model, BackendContext context) {
        OpenAiSettings settings = OpenAiSettings.read(model.id(), model.settings(), context.env());
        return new OpenAiBackend(model.id(), settings, context.timers(), new JdkUpstream(settings.timeouts().connect()));
    }
}
