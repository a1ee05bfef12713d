package dev.pixelsense.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What this machine offers to models: CPU cores, memory (available = what can be used without
 * swapping, from /proc/meminfo's MemAvailable on Linux, else the JVM's free-memory figure), and
 * NVIDIA GPUs from {@code nvidia-smi} when it is on PATH. Read through the JDK and /proc rather
 * than a system-information library: these few numbers need no extra native dependency.
 */
public record SystemInfo(String os, String arch, String cpu, int cores, long totalMemory, long availableMemory,
                         List<Gpu> gpus) {

    /** One GPU; memory in bytes. */
    public record Gpu(String name, long memoryTotal, long memoryFree) {
    }

    public static SystemInfo detect() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long total = os.getTotalMemorySize();
        long available = memAvailable().orElse(os.getFreeMemorySize());
        return new SystemInfo(System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), cpuModel(), Runtime.getRuntime().availableProcessors(), total, available,
                nvidiaGpus());
    }

    private static java.util.OptionalLong memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return java.util.OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: fall back to the JVM's figure
        }
        return java.util.OptionalLong.empty();
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static List<Gpu> nvidiaGpus() {
        List<Gpu> gpus = new ArrayList<>();
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name,memory.total,memory.free",
                    "--format=csv,noheader,nounits").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return gpus;
            }
            for (String line : new String(p.getInputStream().readAllBytes()).strip().split("\n")) {
                String[] f = line.split(",");
                if (f.length == 3) {
                    gpus.add(new Gpu(f[0].strip(), Long.parseLong(f[1].strip()) << 20, Long.parseLong(f[2].strip()) << 20));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no nvidia-smi: no NVIDIA GPU we could use
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return gpus;
    }
}
