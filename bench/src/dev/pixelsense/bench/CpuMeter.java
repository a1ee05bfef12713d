package dev.pixelsense.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the machine's CPU was shared while a series ran: this JVM (generator, upstream and
 * pixelsense together) versus every other process. On a small shared machine a busy neighbour
 * (a build, a test run) inflates latencies, and the report should say so rather than blame the
 * gateway. Reads {@code /proc/stat}; elsewhere the shares are unknown ({@code NaN}).
 */
final class CpuMeter {
    /** The kernel's clock ticks per second for /proc/stat (USER_HZ), 100 on every common Linux. */
    private static final double TICKS_PER_SECOND = 100;

    private final long startWall = System.nanoTime();
    private final long startProcess = processCpuNanos();
    private final long[] startMachine = machineTicks();

    /** Shares of the whole machine (all CPUs = 100 %) since this meter was created. */
    record Share(double benchPercent, double otherPercent) {
        static final Share UNKNOWN = new Share(Double.NaN, Double.NaN);
    }

    Share stop() {
        long[] end = machineTicks();
        long process = processCpuNanos();
        if (startMachine == null || end == null || process < 0) {
            return Share.UNKNOWN;
        }
        double capacity = (System.nanoTime() - startWall) / 1e9 * Runtime.getRuntime().availableProcessors();
        double machineBusy = (end[0] - startMachine[0]) / TICKS_PER_SECOND;
        double bench = (process - startProcess) / 1e9;
        return new Share(100 * bench / capacity, 100 * Math.max(0, machineBusy - bench) / capacity);
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** {busy ticks} from the first line of /proc/stat: everything but idle and iowait. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return new long[] {busy};
        } catch (IOException | RuntimeException notLinux) {
            return null;
        }
    }
}
