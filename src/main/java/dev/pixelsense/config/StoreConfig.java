package dev.pixelsense.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code store:} section: where pulled model files live, and catalog entries that add to
 * (or replace, by name) the built-in catalog.
 */
public record StoreConfig(Path dir, List<CatalogEntry> catalog) {

    /** {@code $PIXELSENSE_MODELS}, else {@code ~/.pixelsense/models}. */
    public static Path defaultDir(java.util.function.Function<String, String> env) {
        String fromEnv = env.apply("PIXELSENSE_MODELS");
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv)
                : Path.of(System.getProperty("user.home"), ".pixelsense", "models");
    }

    public StoreConfig {
        catalog = List.copyOf(catalog);
    }
}
