package dev.pixelsense.cli;

import dev.pixelsense.Version;
import dev.pixelsense.config.ByteSizes;
import dev.pixelsense.config.ModelConfig;
import dev.pixelsense.config.PixelsenseConfig;
import dev.pixelsense.runtime.SystemInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Show what this machine offers (CPU, memory, GPUs) and check the setup.")
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        SystemInfo s = SystemInfo.detect();
        System.out.println("pixelsense " + Version.get() + " on Java " + Runtime.version());
        System.out.println("system   " + s.os() + " (" + s.arch() + ")");
        System.out.println("cpu      " + s.cpu() + ", " + s.cores() + " cores");
        System.out.println("memory   " + ByteSizes.formatApprox(s.availableMemory()) + " available of "
                + ByteSizes.formatApprox(s.totalMemory()));
        if (s.gpus().isEmpty()) {
            System.out.println("gpu      none found (nvidia-smi not on PATH or no NVIDIA GPU): local models run on the CPU");
        }
        for (SystemInfo.Gpu g : s.gpus()) {
            System.out.println("gpu      " + g.name() + ", " + ByteSizes.formatApprox(g.memoryFree()) + " free of "
                    + ByteSizes.formatApprox(g.memoryTotal()));
        }
        int problems = 0;
        PixelsenseConfig cfg;
        try {
            cfg = config.load();
            System.out.println("config   " + cfg.source() + ": " + cfg.models().size() + " model(s)");
        } catch (RuntimeException e) {
            System.out.println("config   PROBLEM: " + e.getMessage());
            return Main.EXIT_FAILED;
        }
        System.out.println("store    " + cfg.store().dir() + (Files.isDirectory(cfg.store().dir()) ? "" : " (not created yet)"));
        boolean needsLlamaServer = false;
        for (ModelConfig m : cfg.models()) {
            if (m.backend().equals("llamacpp")) {
                String file = m.settings().string("model", "");
                boolean isPath = file.contains("/") && !file.contains("://");
                if (isPath && !Files.isRegularFile(Path.of(file))) {
                    System.out.println("model    PROBLEM: " + m.id() + ": file not found: " + file);
                    problems++;
                }
                needsLlamaServer |= m.settings().has("mmproj") || "llama-server".equals(m.settings().string("runner", ""));
            }
        }
        if (needsLlamaServer) {
            boolean onPath = System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH").split(":"))
                    .anyMatch(d -> Files.isExecutable(Path.of(d, "llama-server")));
            System.out.println("runner   llama-server " + (onPath ? "found on PATH" : "NOT on PATH: set llama_server "
                    + "on vision models, or 'pixelsense pull llama-server-linux-x64'"));
        }
        String display = System.getenv("DISPLAY");
        System.out.println("screen   " + (display == null || display.isBlank() ? "no DISPLAY: screen capture unavailable"
                : "DISPLAY=" + display));
        return problems == 0 ? 0 : Main.EXIT_FAILED;
    }
}
