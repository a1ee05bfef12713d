package dev.pixelsense.model.openai;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Known OpenAI-compatible upstreams: where they listen by default and which environment variable
 * usually holds their key. Every preset value can be overridden per model.
 */
enum Preset {
    OPENAI("openai", "https://api.openai.com/v1", "OPENAI_API_KEY"),
    GEMINI("gemini", "https://generativelanguage.googleapis.com/v1beta/openai", "GEMINI_API_KEY"),
    VLLM("vllm", "http://127.0.0.1:8000/v1", null),
    OLLAMA("ollama", "http://127.0.0.1:11434/v1", null),
    LMSTUDIO("lmstudio", "http://127.0.0.1:1234/v1", null),
    LLAMA_SERVER("llama-server", "http://127.0.0.1:8080/v1", null),
    PIXELSENSE("pixelsense", "http://127.0.0.1:8080/v1", "PIXELSENSE_API_KEY");

    final String key;
    final String baseUrl;
    final String apiKeyEnv;

    Preset(String key, String baseUrl, String apiKeyEnv) {
        this.key = key;
        this.baseUrl = baseUrl;
        this.apiKeyEnv = apiKeyEnv;
    }

    static Preset find(String key) {
        for (Preset p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        return null;
    }

    static String names() {
        return Arrays.stream(values()).map(p -> p.key).collect(Collectors.joining(", "));
    }
}
