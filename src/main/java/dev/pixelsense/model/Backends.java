package dev.pixelsense.model;

import dev.pixelsense.config.ConfigLoader;
import dev.pixelsense.config.ConfigNode;
import dev.pixelsense.model.openai.OpenAiBackendFactory;
import dev.pixelsense.model.spi.BackendFactory;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The registry of backend kinds, and the config check for their model keys. */
public final class Backends implements ConfigLoader.SettingsValidator {
    private final Map<String, BackendFactory> factories = new LinkedHashMap<>();
    private final Function<String, String> env;

    public Backends(Function<String, String> env, List<BackendFactory> kinds) {
        this.env = env;
        kinds.forEach(f -> factories.put(f.name(), f));
    }

    /** Every backend pixelsense ships. */
    public static Backends builtIn(Function<String, String> env) {
        return new Backends(env, List.of(new OpenAiBackendFactory(),
                new dev.pixelsense.model.llamacpp.LlamaCppBackendFactory()));
    }

    public BackendFactory get(String name) {
        BackendFactory f = factories.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown backend '" + name + "'");
        }
        return f;
    }

    @Override
    public void validate(String backend, ConfigNode model) {
        BackendFactory f = factories.get(backend);
        if (f == null) {
            throw model.child("backend").error("unknown backend '" + backend + "'; known: "
                    + String.join(", ", factories.keySet()));
        }
        Set<String> allowed = new HashSet<>(ConfigLoader.MODEL_KEYS);
        allowed.addAll(f.settingKeys());
        model.allowOnly(allowed);
        f.validate(model, env);
    }
}
