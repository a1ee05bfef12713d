package dev.pixelsense.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a whole process in nanoseconds, from the scheduler's per-thread counters
 * ({@code /proc/PID/task/TID/schedstat}, first field: time on a CPU). Nanosecond resolution, unlike
 * the 10 ms ticks of {@code /proc/PID/stat}, so one streamed answer's share is visible. Threads
 * that ended between two readings drop out of the sum; a difference is therefore a lower bound.
 * -1 where unknown (not Linux, process gone).
 */
final class ProcessCpu {
    private ProcessCpu() {
    }

    static long nanos(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.mapToLong(ProcessCpu::threadNanos).sum();
        } catch (IOException | RuntimeException notThere) {
            return -1;
        }
    }

    /**
     * CPU nanoseconds per thread name, digits replaced by {@code #} so that pools add up
     * ({@code ForkJoinPool-#-worker-#}, {@code qtp#-#}); the kernel keeps 15 characters of a name.
     */
    static Map<String, Long> byThread(long pid) {
        Map<String, Long> cpu = new HashMap<>();
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            threads.forEach(t -> {
                try {
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("\\d+", "#");
                    cpu.merge(name, threadNanos(t), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended
                }
            });
        } catch (IOException | RuntimeException notThere) {
            // process gone or not Linux: nothing to show
        }
        return cpu;
    }

    /**
     * Microseconds in which at least one runnable task waited for a CPU (pressure stall information,
     * {@code /proc/pressure/cpu}, "some" line, total): its growth over a wall-clock interval is
     * how contended the machine was. -1 where the kernel does not provide it.
     */
    static long pressureMicros() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/pressure/cpu"))) {
                if (line.startsWith("some ")) {
                    return Long.parseLong(line.substring(line.indexOf("total=") + 6).trim());
                }
            }
        } catch (IOException | RuntimeException unavailable) {
            return -1;
        }
        return -1;
    }

    private static long threadNanos(Path task) {
        try {
            String s = Files.readString(task.resolve("schedstat")).trim();
            return Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
