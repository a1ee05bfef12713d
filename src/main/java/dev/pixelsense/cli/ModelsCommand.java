package dev.pixelsense.cli;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.config.ByteSizes;
import dev.pixelsense.config.CatalogEntry;
import dev.pixelsense.config.ModelConfig;
import dev.pixelsense.config.PixelsenseConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import dev.pixelsense.store.ModelStore;
import dev.pixelsense.store.StoredFile;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "models", mixinStandardHelpOptions = true, description = "Manage models.",
        subcommands = {ModelsCommand.Ls.class, ModelsCommand.Rm.class, ModelsCommand.Prune.class,
            ModelsCommand.Catalog.class})
final class ModelsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return new Ls().callWith(null);
    }

    @Command(name = "ls", mixinStandardHelpOptions = true,
            description = "List the configured models and the pulled model files.")
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
                printPulled(cfg);
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
            printPulled(cfg);
            return 0;
        }

        private static void printPulled(PixelsenseConfig cfg) {
            try (Pixelsense px = Pixelsense.open(cfg, System::getenv)) {
                var pulled = px.store().list();
                if (pulled.isEmpty()) {
                    return;
                }
                System.out.println();
                String format = "%-40s %-44s %10s  %s%n";
                System.out.printf(format, "PULLED", "FILE", "SIZE", "SHA256");
                for (ModelStore.Pulled p : pulled) {
                    for (StoredFile f : p.files()) {
                        System.out.printf(format, p.ref(), f.name(), ByteSizes.formatApprox(f.size()),
                                f.sha256().substring(0, 12) + ("first-pull".equals(f.verified()) ? " (first pull)" : ""));
                    }
                }
            }
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Forget a pulled reference and delete files no other reference uses.")
    static final class Rm implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "REF", description = "The reference as it was pulled.")
        String ref;

        @Override
        public Integer call() {
            try (Pixelsense px = Pixelsense.open(config.load(), System::getenv)) {
                if (!px.store().remove(ref)) {
                    throw new IllegalArgumentException("'" + ref + "' is not pulled (see 'pixelsense models ls')");
                }
                System.out.println("removed " + ref);
                return 0;
            }
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = "Delete unfinished downloads and files no pulled reference uses.")
    static final class Prune implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            try (Pixelsense px = Pixelsense.open(config.load(), System::getenv)) {
                ModelStore.Pruned p = px.store().prune();
                System.out.println("removed " + p.partials() + " partial download(s) and " + p.blobs()
                        + " unreferenced file(s), " + ByteSizes.formatApprox(p.bytes()) + " freed");
                return 0;
            }
        }
    }

    @Command(name = "catalog", mixinStandardHelpOptions = true, description = "List the names 'pixelsense pull' knows.")
    static final class Catalog implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            try (Pixelsense px = Pixelsense.open(config.load(), System::getenv)) {
                for (CatalogEntry e : px.store().catalog()) {
                    System.out.printf("%-26s %s%n", e.name(), e.description());
                    for (CatalogEntry.File f : e.files()) {
                        System.out.printf("    %-50s %s%n", f.name(), f.sha256() == null ? "sha256 at first pull"
                                : "sha256 " + f.sha256().substring(0, 12));
                    }
                }
                return 0;
            }
        }
    }
}
