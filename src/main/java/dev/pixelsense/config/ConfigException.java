package dev.pixelsense.config;

/**
 * A configuration file that cannot be used. The message names the file, the line and the key,
 * e.g. {@code config.yaml:14: models[1].max_concurrency: must be at least 1, got 0}.
 */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
