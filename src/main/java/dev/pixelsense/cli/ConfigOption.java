package dev.pixelsense.cli;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.config.PixelsenseConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by every command that reads the configuration. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Config file (YAML or JSON). Default: $PIXELSENSE_CONFIG, else ~/.pixelsense/config.yaml "
                    + "if it exists, else built-in defaults.")
    Path file;

    Path resolve() {
        if (file != null) {
            return file;
        }
        String env = System.getenv("PIXELSENSE_CONFIG");
        return env == null || env.isBlank() ? null : Path.of(env);
    }

    PixelsenseConfig load() {
        return Pixelsense.loader(System::getenv).load(resolve());
    }
}
