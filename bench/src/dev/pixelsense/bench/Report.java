package dev.pixelsense.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a run as Markdown: where it ran, the added latency against the goals, every series, errors. */
final class Report {

    /** One series: a payload sent to one target at one rate. */
    record Series(String payload, String target, OpenLoop.Result result, CpuMeter.Share cpu) {
    }

    /**
     * A limit on the added latency; {@code null} means no limit on that percentile. Without any
     * limit the comparison is informational.
     */
    record Goal(Double p50Ms, Double p99Ms) {
        static final Goal NONE = new Goal(null, null);

        String describe() {
            if (p50Ms == null && p99Ms == null) {
                return "(none)";
            }
            return (p50Ms == null ? "" : "p50 <= " + fmt(p50Ms) + " ms")
                    + (p50Ms != null && p99Ms != null ? ", " : "")
                    + (p99Ms == null ? "" : "p99 <= " + fmt(p99Ms) + " ms");
        }
    }

    /** The same payload and rate, straight to the upstream and through pixelsense. */
    record Comparison(String payload, Series direct, Series gateway, Goal goal) {
        long addedP50() {
            return gateway.result().latency().p50() - direct.result().latency().p50();
        }

        long addedP99() {
            return gateway.result().latency().p99() - direct.result().latency().p99();
        }

        boolean hasErrors() {
            return direct.result().errorCount() + gateway.result().errorCount() > 0;
        }

        String verdict() {
            if (goal.p50Ms() == null && goal.p99Ms() == null) {
                return "-";
            }
            boolean met = (goal.p50Ms() == null || addedP50() <= goal.p50Ms() * 1e6)
                    && (goal.p99Ms() == null || addedP99() <= goal.p99Ms() * 1e6);
            return hasErrors() ? "**not met (errors)**" : met ? "met" : "**not met**";
        }
    }

    private Report() {
    }

    static String render(ZonedDateTime when, String command, String setup, CpuMeter.Share cpu,
                         List<Comparison> comparisons, List<String> notes) {
        StringBuilder md = new StringBuilder();
        md.append("# pixelsense gateway overhead\n\n");
        md.append("- Date: ").append(when.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx"))).append('\n');
        md.append("- Command: `").append(command).append("`\n");
        md.append("- Machine: ").append(machine()).append('\n');
        md.append("- Java: ").append(System.getProperty("bench.java.version", System.getProperty("java.vm.name")
                + " " + System.getProperty("java.runtime.version"))).append('\n');
        md.append("- Setup: ").append(setup).append('\n');
        md.append("- CPU over the whole run: this JVM ").append(percent(cpu.benchPercent()))
                .append(", other processes ").append(percent(cpu.otherPercent())).append(" of the machine")
                .append(cpu.otherPercent() > 10 ? " -- **the machine was shared with other work; latencies are "
                        + "inflated and noisier than on an idle machine**" : "").append("\n\n");

        md.append("## Added latency (through pixelsense minus direct)\n\n");
        md.append("| payload | rate req/s | direct p50 | pixelsense p50 | **added p50** | direct p99 | pixelsense p99 "
                + "| **added p99** | goal (added) | result |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Comparison c : comparisons) {
            LatencyStats d = c.direct().result().latency();
            LatencyStats g = c.gateway().result().latency();
            md.append(row(c.payload(), Integer.toString(c.direct().result().rate()), LatencyStats.ms(d.p50()),
                    LatencyStats.ms(g.p50()), "**" + LatencyStats.ms(c.addedP50()) + "**", LatencyStats.ms(d.p99()),
                    LatencyStats.ms(g.p99()), "**" + LatencyStats.ms(c.addedP99()) + "**", c.goal().describe(),
                    c.verdict()));
        }
        md.append("\nAll times in milliseconds.\n\n## Every series\n\n");
        md.append("| payload | target | rate req/s | measured | errors | p50 | p90 | p99 | max | max in flight "
                + "| max send lag | CPU bench | CPU others |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Comparison c : comparisons) {
            for (Series s : List.of(c.direct(), c.gateway())) {
                OpenLoop.Result r = s.result();
                LatencyStats l = r.latency();
                md.append(row(s.payload(), s.target(), Integer.toString(r.rate()), Integer.toString(r.scheduled()),
                        Long.toString(r.errorCount()), LatencyStats.ms(l.p50()), LatencyStats.ms(l.p90()),
                        LatencyStats.ms(l.p99()), LatencyStats.ms(l.max()), Integer.toString(r.maxInFlight()),
                        LatencyStats.ms(r.maxSendLag()), percent(s.cpu().benchPercent()),
                        percent(s.cpu().otherPercent())));
            }
        }
        md.append("\n## Errors\n\n");
        long total = 0;
        for (Comparison c : comparisons) {
            for (Series s : List.of(c.direct(), c.gateway())) {
                for (Map.Entry<String, Long> e : s.result().errors().entrySet()) {
                    total += e.getValue();
                    md.append("- ").append(s.payload()).append(" @ ").append(s.result().rate()).append(" req/s, ")
                            .append(s.target()).append(": ").append(e.getValue()).append(" x ").append(e.getKey())
                            .append('\n');
                }
            }
        }
        md.append(total == 0 ? "No errors: every measured request got a 200 and a complete answer.\n"
                : "\n**This run had " + total + " failed requests; its latencies cover successful requests only.**\n");
        md.append("\n## Notes\n\n");
        notes.forEach(n -> md.append("- ").append(n).append('\n'));
        return md.toString();
    }

    static Path write(Path dir, ZonedDateTime when, String markdown) throws IOException {
        return write(dir, "gateway", when, markdown);
    }

    /** Writes {@code dir/NAME-yyyyMMdd-HHmmss.md}. */
    static Path write(Path dir, String name, ZonedDateTime when, String markdown) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + "-" + when.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
        Files.writeString(file, markdown);
        return file;
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    static String machine() {
        String cpu = "unknown CPU";
        String memory = "unknown memory";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> fmt(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GiB RAM")
                    .findFirst().orElse(memory);
        } catch (IOException | RuntimeException notLinux) {
            // keep the placeholders: the report is still useful without them
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (nproc), " + cpu + ", " + memory + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    private static String percent(double p) {
        return Double.isNaN(p) ? "?" : String.format(Locale.ROOT, "%.0f%%", p);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f" : "%.1f", v);
    }
}
