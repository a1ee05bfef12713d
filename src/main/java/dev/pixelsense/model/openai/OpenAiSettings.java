package dev.pixelsense.model.openai;

import dev.pixelsense.config.ConfigNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code backend: openai} keys of a model entry, read and checked in one place.
 *
 * <pre>
 * - id: gpt-4o-mini
 *   backend: openai
 *   preset: openai            # base_url and api_key_env defaults
 *   upstream_model: gpt-4o-mini
 *   deployments:              # optional; else one deployment from the keys above
 *     - base_url: https://a.example/v1
 *       api_key_env: KEY_A
 *   timeouts: {connect: 10s, first_token: 120s, idle: 60s, request: 10m}
 *   cooldown: 30s
 * </pre>
 */
record OpenAiSettings(List<Deployment> deployments, Timeouts timeouts, Duration cooldown) {

    static final Set<String> KEYS = Set.of("preset", "base_url", "api_key", "api_key_env", "upstream_model",
            "headers", "deployments", "timeouts", "cooldown");
    private static final Set<String> DEPLOYMENT_KEYS = Set.of("base_url", "api_key", "api_key_env",
            "upstream_model", "headers");
    private static final Set<String> TIMEOUT_KEYS = Set.of("connect", "first_token", "idle", "request");

    /**
     * @param firstToken how long a stream may take to produce its first chunk
     * @param idle the longest gap between two chunks (or body bytes) once answering
     * @param request how long a non-streamed answer may take in all
     */
    record Timeouts(Duration connect, Duration firstToken, Duration idle, Duration request) {
        static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(120),
                Duration.ofSeconds(60), Duration.ofMinutes(10));
    }

    /** One place a model is served; several make a load-balanced pool. */
    record Deployment(URI chatUrl, String apiKey, String upstreamModel, Map<String, String> headers) {
    }

    /**
     * Reads and checks the settings.
     *
     * @param env environment lookup for {@code api_key_env}; null to only check the shape
     */
    static OpenAiSettings read(String modelId, ConfigNode m, Function<String, String> env) {
        String presetName = m.string("preset", null);
        Preset preset = presetName == null ? null : Preset.find(presetName);
        if (presetName != null && preset == null) {
            throw m.child("preset").error("unknown preset '" + presetName + "'; known: " + Preset.names());
        }
        List<Deployment> deployments = new ArrayList<>();
        List<ConfigNode> listed = m.list("deployments");
        if (listed.isEmpty()) {
            deployments.add(deployment(modelId, m, m, preset, env));
        } else {
            for (ConfigNode d : listed) {
                d.allowOnly(DEPLOYMENT_KEYS);
                deployments.add(deployment(modelId, d, m, preset, env));
            }
        }
        ConfigNode t = m.object("timeouts");
        t.allowOnly(TIMEOUT_KEYS);
        Timeouts timeouts = new Timeouts(
                positive(t, "connect", Timeouts.DEFAULTS.connect()),
                positive(t, "first_token", Timeouts.DEFAULTS.firstToken()),
                positive(t, "idle", Timeouts.DEFAULTS.idle()),
                positive(t, "request", Timeouts.DEFAULTS.request()));
        return new OpenAiSettings(deployments, timeouts, m.duration("cooldown", Duration.ofSeconds(30)));
    }

    private static Deployment deployment(String modelId, ConfigNode d, ConfigNode model, Preset preset,
                                         Function<String, String> env) {
        String base = d.string("base_url", model.string("base_url", preset == null ? null : preset.baseUrl));
        if (base == null) {
            throw d.error("'base_url' is required (or a 'preset': " + Preset.names() + ")");
        }
        URI chatUrl;
        try {
            URI uri = URI.create(base.endsWith("/") ? base : base + "/");
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            chatUrl = uri.resolve("chat/completions");
        } catch (IllegalArgumentException e) {
            throw d.child("base_url").error("'" + base + "' is not an http(s) URL like http://127.0.0.1:8000/v1");
        }
        String apiKey = d.string("api_key", model.string("api_key", null));
        String keyEnv = d.string("api_key_env", model.string("api_key_env", preset == null ? null : preset.apiKeyEnv));
        if (apiKey == null && keyEnv != null && env != null) {
            apiKey = env.apply(keyEnv);
            if ((apiKey == null || apiKey.isBlank()) && (d.has("api_key_env") || model.has("api_key_env"))) {
                throw d.child("api_key_env").error("environment variable " + keyEnv + " is not set");
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        ConfigNode h = d.object("headers").isMissing() ? model.object("headers") : d.object("headers");
        // string() refuses a list or mapping (asText() would silently send an empty header)
        h.raw().fieldNames().forEachRemaining(name -> headers.put(name, h.string(name, "")));
        String upstreamModel = d.string("upstream_model", model.string("upstream_model", modelId));
        return new Deployment(chatUrl, apiKey == null || apiKey.isBlank() ? null : apiKey, upstreamModel,
                Map.copyOf(headers));
    }

    private static Duration positive(ConfigNode t, String key, Duration fallback) {
        Duration d = t.duration(key, fallback);
        if (d.isNegative() || d.isZero()) {
            throw t.child(key).error("must be positive");
        }
        return d;
    }
}
