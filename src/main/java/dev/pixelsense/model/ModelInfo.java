package dev.pixelsense.model;

import dev.pixelsense.config.ModelConfig;
import java.util.List;

/** What the manager tells about a declared model (for {@code /v1/models} and {@code models ls}). */
public record ModelInfo(String id, String backend, List<String> aliases, List<String> fallbacks,
                        ModelConfig.Capabilities capabilities, boolean loaded, int running, int waiting) {
}
