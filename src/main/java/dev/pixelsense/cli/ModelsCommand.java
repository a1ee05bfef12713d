package dev.pixelsense.cli;

import dev.pixelsense.config.ModelConfig;
import dev.pixelsense.config.PixelsenseConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "models", mixinStandardHelpOptions = true, description = "Manage models.",
        subcommands = {ModelsCommand.Ls.class})
final class ModelsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return new Ls().callWith(null);
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the configured models.")
    static final class Ls implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            return callWith(config);
        }

        Integer callWith(ConfigOption option) {
            PixelsenseConfig cfg = (option == null ? new ConfigOption() : option).load();
            if (cfg.models().isEmpty()) {
                System.out.println("No models configured in " + cfg.source()
                        + ". Add entries under 'models:' (see README, Configuration).");
                return 0;
            }
            String format = "%-28s %-10s %-8s %-24s %s%n";
            System.out.printf(format, "ID", "BACKEND", "CAPS", "ALIASES", "FALLBACKS");
            for (ModelConfig m : cfg.models()) {
                String caps = (m.capabilities().vision() ? "vision " : "") + (m.capabilities().tools() ? "tools" : "");
                System.out.printf(format, m.id(), m.backend(), caps.isBlank() ? "-" : caps.strip().replace(' ', ','),
                        m.aliases().isEmpty() ? "-" : String.join(",", m.aliases()),
                        m.fallbacks().isEmpty() ? "-" : String.join(" -> ", m.fallbacks()));
            }
            return 0;
        }
    }
}
