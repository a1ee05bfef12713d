package dev.pixelsense.bench;

import dev.pixelsense.bench.LlamaBench.Results;
import dev.pixelsense.bench.LlamaBench.Run;
import dev.pixelsense.bench.LlamaBench.Target;
import dev.pixelsense.testing.TinyGguf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** Renders a {@link LlamaBench} run as Markdown: setup, the three parts against their goals, every sample. */
final class LlamaReport {
    static final double THROUGHPUT_GOAL = 0.97;
    static final double TTFT_GOAL_MS = 2.0;
    private static final int SETTLING_BLOCK = 500;

    private LlamaReport() {
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException notLinux) {
            return "?";
        }
    }

    static String render(ZonedDateTime when, String loadBefore, String loadAfter, Results r) {
        LlamaBench.Options o = r.options();
        StringBuilder md = new StringBuilder();
        md.append("# pixelsense local model (llama.cpp): throughput, time to first token, load\n\n");
        md.append("- Date: ").append(when.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx"))).append('\n');
        md.append("- Command: `").append(System.getProperty("bench.command", "bench/llama")).append("`\n");
        md.append("- Machine: ").append(Report.machine()).append('\n');
        md.append("- Load average (1/5/15 min): before ").append(loadBefore).append(", after ").append(loadAfter)
                .append('\n');
        double capacity = r.measuredNs() / 1e9 * Runtime.getRuntime().availableProcessors();
        double others = r.share().otherPercent() - 100 * (r.serverCpuNs() + r.runnerCpuNs()) / 1e9 / capacity;
        md.append("- CPU while parts 1 and 2 ran: bench JVM ").append(pct(r.share().benchPercent()))
                .append(", pixelsense server ").append(pct(100 * r.serverCpuNs() / 1e9 / capacity))
                .append(", runner ").append(pct(100 * r.runnerCpuNs() / 1e9 / capacity))
                .append(", other processes ").append(pct(others)).append(" of the machine")
                .append(others > 10 ? " -- **the machine was shared with other work: absolute figures are noisy; "
                        + "the targets were interleaved so that it hits them alike**" : "").append('\n');
        md.append("- CPU pressure while parts 1 and 2 ran (`/proc/pressure/cpu` some): runnable work waited for a CPU ")
                .append(pct(r.cpuPressurePercent())).append(" of the time").append(r.cpuPressurePercent() > 50
                        ? " -- every thread wake-up may wait for a time slice, which lengthens each hop between "
                        + "processes" : "").append('\n');
        md.append("- Java: ").append(System.getProperty("bench.java.version", System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"))).append('\n');
        var s = LlamaBench.SHAPE;
        md.append("- Model: made by the bench with `TinyGguf` (test fixture), seed ").append(LlamaBench.MODEL_SEED)
                .append(": llama architecture, ").append(s.layers()).append(" layers, n_embd ").append(s.embd())
                .append(", ").append(s.heads()).append(" heads (").append(s.headsKv()).append(" KV), n_ff ")
                .append(s.feedForward()).append(", byte-level vocabulary of ").append(TinyGguf.VOCAB_SIZE)
                .append(", F32 random weights, ").append(String.format(Locale.ROOT, "%,d", r.modelBytes()))
                .append(" bytes\n");
        md.append("- llama.cpp settings, the same for all targets: ").append(o.threads()).append(" threads, context ")
                .append(o.contextSize()).append(", 1 slot (`max_concurrency: 1`); the runner is pixelsense's built-in "
                        + "one (`pixelsense runner`, de.kherud:llama in its own JVM); in-process is the same library in "
                        + "the bench JVM\n");
        md.append("- Requests: one user message \"").append(r.prompt()).append("\" (chosen after ").append(r.probes())
                .append(" probe(s): greedy, temperature 0, seed ").append(LlamaBench.SEED)
                .append(", so llama.cpp's prompt cache is off), streamed, `max_tokens` ").append(o.tokens())
                .append(" (part 1) or ").append(LlamaBench.TTFT_TOKENS).append(" (parts 2, 3)\n\n");

        md.append("## 1. Streamed generation, tokens/s\n\n");
        md.append("Tokens are counted as `max_tokens` (").append(o.tokens()).append("): the prompt was chosen so that "
                + "its greedy answer without EOS banned equals the answer with EOS banned (`ignore_eos`, in process), "
                + "so no answer stops early, and every answer below is checked to be that same text. Content chunks "
                + "are fewer than tokens (llama.cpp holds back incomplete UTF-8); the runner's "
                + "`usage.completion_tokens` re-encodes the text and is capped at `max_tokens`. tokens/s = tokens / "
                + "(request sent to end of stream: `[DONE]`, or the in-process iterator's end). ")
                .append(o.reps()).append(" rounds, each running the three targets in a rotating order, after a "
                        + "warm-up: ").append(o.warmup()).append(" s of answers through pixelsense (")
                .append(r.warmServerCpu().size()).append(", with a direct and an in-process one after every fifth), "
                        + "20 short requests per HTTP target, then part 2 (its settling pairs and its measurement), so "
                        + "that the per-request code of both JVMs has settled too. The server's CPU per answer during "
                        + "the warm-up "
                        + "(JIT compilation included): first answer ").append(ms(r.warmServerCpu().getFirst()))
                .append(" ms, median of the first three ").append(medianMs(r.warmServerCpu().subList(0, 3)))
                .append(" ms, of the last three ").append(medianMs(r.warmServerCpu().subList(
                        r.warmServerCpu().size() - 3, r.warmServerCpu().size()))).append(" ms.\n\n");
        md.append("| target | answers | median tokens/s | min | max | median ms | median first token ms "
                + "| content chunks | usage tokens | same text | CPU ms per answer: server / runner / bench JVM |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Target t : List.of(Target.PIXELSENSE, Target.DIRECT, Target.JNI)) {
            List<Run> runs = runs(r, t);
            double[] tps = values(runs, run -> o.tokens() / (run.result().doneNs() / 1e9));
            md.append(row(label(t), Integer.toString(runs.size()), f0(median(tps)), f0(min(tps)), f0(max(tps)),
                    f1(median(values(runs, run -> run.result().doneNs() / 1e6))),
                    f1(median(values(runs, run -> run.result().firstContentNs() / 1e6))),
                    distinct(runs, run -> run.result().contentChunks()),
                    t == Target.JNI ? "-" : distinct(runs, run -> run.result().usageCompletionTokens()),
                    runs.stream().filter(Run::sameText).count() + "/" + runs.size(),
                    cpu(runs, Run::serverCpuNs, t != Target.JNI) + " / " + cpu(runs, Run::runnerCpuNs, t != Target.JNI)
                            + " / " + cpu(runs, Run::benchCpuNs, true)));
        }
        double pix = median(values(runs(r, Target.PIXELSENSE), run -> o.tokens() / (run.result().doneNs() / 1e9)));
        double dir = median(values(runs(r, Target.DIRECT), run -> o.tokens() / (run.result().doneNs() / 1e9)));
        double jni = median(values(runs(r, Target.JNI), run -> o.tokens() / (run.result().doneNs() / 1e9)));
        double[] paired = new double[o.reps()];
        for (int i = 0; i < o.reps(); i++) {
            int round = i;
            paired[i] = runs(r, Target.DIRECT).stream().filter(x -> x.round() == round).findFirst().orElseThrow()
                    .result().doneNs() / (double) runs(r, Target.PIXELSENSE).stream().filter(x -> x.round() == round)
                    .findFirst().orElseThrow().result().doneNs();
        }
        boolean allSame = r.runs().stream().allMatch(Run::sameText);
        double[] interval = bootstrapMedianInterval(paired);
        md.append("\nThe per-round ratio (each round's two answers ran back to back, so noise they share cancels) is "
                + "the estimate judged: its median, with a 95% interval from resampling the rounds (bootstrap, ")
                .append(BOOTSTRAP_RESAMPLES).append(" resamples). Met when the whole interval is at or above the goal, "
                        + "not met when it is all below, inconclusive otherwise. The ratio of the medians is shown "
                        + "beside it.\n");
        md.append("\n| ratio (tokens/s) | value | goal | result |\n|---|---:|---|---|\n");
        String throughput = !allSame ? "**not judged: an answer differed**"
                : interval[0] >= THROUGHPUT_GOAL ? "met" : interval[1] < THROUGHPUT_GOAL ? "**not met**"
                : "**inconclusive**: the interval spans the goal (more rounds would narrow it)";
        md.append(row("**pixelsense / direct runner**, median of the per-round ratios [95% interval]",
                "**" + f3(median(paired)) + "** [" + f3(interval[0]) + ", " + f3(interval[1]) + "]",
                ">= " + THROUGHPUT_GOAL, throughput));
        md.append(row("pixelsense / direct runner, ratio of the medians", f3(pix / dir), "-", "-"));
        md.append(row("direct runner / in-process JNI", f3(dir / jni), "-", "-"));
        md.append(row("pixelsense / in-process JNI", f3(pix / jni), "-", "-"));

        md.append("\n## 2. Time to first token (short requests)\n\n");
        md.append(o.ttftRequests()).append(" requests per target (`max_tokens` ").append(LlamaBench.TTFT_TOKENS)
                .append("), direct and pixelsense alternating which goes first, one in-process generation after each "
                        + "pair; time from sending the request to the first chunk with non-empty `delta.content`. "
                        + "Measured after ").append(o.ttftWarmup()).append(" pairs of the same short requests (below: "
                        + "how the overhead settled over them as the JIT compiled the per-request code).\n\n");
        md.append("| target | p50 ms | p90 ms | mean ms | min ms | max ms |\n|---|---:|---:|---:|---:|---:|\n");
        String[] names = {label(Target.DIRECT), label(Target.PIXELSENSE), label(Target.JNI)};
        double[][] columns = new double[3][];
        for (int c = 0; c < 3; c++) {
            int col = c;
            columns[c] = r.ttft().stream().mapToDouble(x -> x[col] / 1e6).toArray();
        }
        for (int c : new int[] {1, 0, 2}) {
            double[] v = columns[c];
            md.append(row(names[c], f2(median(v)), f2(pctl(v, 0.9)), f2(Arrays.stream(v).average().orElse(0)),
                    f2(min(v)), f2(max(v))));
        }
        double added = median(columns[1]) - median(columns[0]);
        double[] diffs = r.ttft().stream().mapToDouble(x -> (x[1] - x[0]) / 1e6).toArray();
        String ttftVerdict = verdict(added <= TTFT_GOAL_MS, median(diffs) <= TTFT_GOAL_MS);
        md.append("\nJudged like part 1 on two estimates: the difference of the p50s and the median of the "
                + "per-request differences (each pair ran back to back).\n");
        md.append("\n| overhead | ms | goal | result |\n|---|---:|---|---|\n");
        md.append(row("**pixelsense p50 - direct p50**", "**" + f2(added) + "**", "<= " + f1(TTFT_GOAL_MS) + " ms",
                ttftVerdict));
        md.append(row("**median of the per-request differences**", "**" + f2(median(diffs)) + "**",
                "<= " + f1(TTFT_GOAL_MS) + " ms", ttftVerdict));
        md.append(row("pixelsense server CPU per short request (all its threads)",
                f2(r.serverShortCpuNs() / 1e6 / o.ttftRequests()), "-", "-"));
        md.append(row("direct p50 - in-process p50 (the runner's HTTP)", f2(median(columns[0]) - median(columns[2])),
                "-", "-"));
        if (!r.ttftSettling().isEmpty()) {
            md.append("\nWhile settling (the pairs before the measurement, in blocks; the first rows are what "
                    + "a freshly started server pays; versions of this bench before 2026-11-22 14:00 UTC measured "
                    + "after 20 pairs):\n\n| short request pairs | pixelsense p50 - direct p50 ms "
                    + "| median of the per-request differences ms |\n|---|---:|---:|\n");
            List<long[]> settling = r.ttftSettling();
            for (int from = 0; from < settling.size(); from += SETTLING_BLOCK) {
                List<long[]> block = settling.subList(from, Math.min(settling.size(), from + SETTLING_BLOCK));
                double[] d = block.stream().mapToDouble(x -> x[0] / 1e6).toArray();
                double[] p = block.stream().mapToDouble(x -> x[1] / 1e6).toArray();
                double[] diff = block.stream().mapToDouble(x -> (x[1] - x[0]) / 1e6).toArray();
                md.append(row((from + 1) + "-" + (from + block.size()), f2(median(p) - median(d)), f2(median(diff))));
            }
        }

        var l = r.loads();
        md.append("\n## 3. Load times\n\n| what | ms |\n|---|---:|\n");
        md.append(row("`pixelsense serve` process start to `/ready` 200 (no model loaded)", Long.toString(l.serveReady())));
        md.append(row("**cold: first request to first token** (runner process start, load, generation)",
                "**" + l.coldFirstToken() + "**"));
        md.append(row("of which runner start to ready (`/api/ps` `load_ms`)", Long.toString(l.coldPsLoad())));
        md.append(row("of which llama.cpp model load inside the runner (its log)", Long.toString(l.coldRunnerLoad())));
        md.append(row("in-process JNI: first `new LlamaModel` in the bench JVM (native library load included)",
                Long.toString(l.jniLoad())));
        md.append(row("`POST /api/models/" + LlamaBench.MODEL_ID + "/unload` (runner stopped), median of "
                + l.unload().size(), median(l.unload()) + " (" + join(l.unload()) + ")"));
        md.append(row("**unload to reload: request to first token**, median of " + l.reloadFirstToken().size(),
                "**" + median(l.reloadFirstToken()) + "** (" + join(l.reloadFirstToken()) + ")"));
        md.append(row("of which runner start to ready (`load_ms`)", median(l.reloadPsLoad()) + " ("
                + join(l.reloadPsLoad()) + ")"));
        md.append(row("of which llama.cpp model load inside the runner", median(l.reloadRunnerLoad()) + " ("
                + join(l.reloadRunnerLoad()) + ")"));

        md.append("\n## Every answer of part 1\n\n| round | target | ms | tokens/s | first token ms | chunks "
                + "| CPU ms server / runner / bench JVM |\n|---:|---|---:|---:|---:|---:|---|\n");
        for (Run run : r.runs()) {
            md.append(row(Integer.toString(run.round()), label(run.target()), f1(run.result().doneNs() / 1e6),
                    f0(o.tokens() / (run.result().doneNs() / 1e9)), f1(run.result().firstContentNs() / 1e6),
                    Integer.toString(run.result().contentChunks()), ms(run.serverCpuNs()) + " / " + ms(run.runnerCpuNs())
                            + " / " + ms(run.benchCpuNs())));
        }
        md.append("\n## Where the CPU goes during part 1 (per answer, by thread)\n\n");
        md.append("CPU ms of each group of threads (digits in names replaced by #), summed over the ")
                .append(o.reps()).append(" answers of each target and divided by ").append(o.reps())
                .append(". Groups under 1 ms in both columns are left out.\n\n");
        md.append("| process / thread | during a pixelsense answer | during a direct answer |\n|---|---:|---:|\n");
        r.threadCpu().entrySet().stream()
                .filter(e -> Math.max(e.getValue()[0], e.getValue()[1]) / 1e6 / o.reps() >= 1)
                .sorted((a, b) -> Long.compare(Math.max(b.getValue()[0], b.getValue()[1]),
                        Math.max(a.getValue()[0], a.getValue()[1])))
                .forEach(e -> md.append(row("`" + e.getKey() + "`", f1(e.getValue()[0] / 1e6 / o.reps()),
                        f1(e.getValue()[1] / 1e6 / o.reps()))));
        md.append("\n## Notes\n\n");
        md.append("- CPU per answer is read from `/proc/PID/task/*/schedstat` before and after each answer, for the "
                + "whole process (idle threads included; threads that ended in between are missed). The bench JVM's "
                + "share includes the HTTP client (and, in-process, llama.cpp itself).\n");
        md.append("- Server log (runner output included): ").append(o.work().resolve("serve.log")).append('\n');
        return md.toString();
    }

    private static String verdict(boolean first, boolean second) {
        return first && second ? "met" : !first && !second ? "**not met**"
                : "**inconclusive**: the two estimates disagree (noise)";
    }

    private static List<Run> runs(Results r, Target t) {
        return r.runs().stream().filter(x -> x.target() == t).toList();
    }

    private static String label(Target t) {
        return switch (t) {
            case PIXELSENSE -> "pixelsense (HTTP, via `serve`)";
            case DIRECT -> "runner direct (HTTP)";
            case JNI -> "in-process JNI";
        };
    }

    private static double[] values(List<Run> runs, ToDoubleFunction<Run> f) {
        return runs.stream().mapToDouble(f).toArray();
    }

    private static String cpu(List<Run> runs, java.util.function.ToLongFunction<Run> f, boolean relevant) {
        double[] v = runs.stream().mapToLong(f).filter(x -> x >= 0).mapToDouble(x -> x / 1e6).toArray();
        return v.length == 0 ? "?" : relevant ? f1(median(v)) : "(" + f1(median(v)) + ")";
    }

    private static String distinct(List<Run> runs, java.util.function.ToIntFunction<Run> f) {
        return runs.stream().map(x -> f.applyAsInt(x)).collect(Collectors.toCollection(TreeSet::new)).stream()
                .map(String::valueOf).collect(Collectors.joining(", "));
    }

    static final int BOOTSTRAP_RESAMPLES = 10_000;

    /** The 2.5% and 97.5% points of the median over resamples of {@code v} (fixed seed: reports can be re-made). */
    static double[] bootstrapMedianInterval(double[] v) {
        java.util.Random random = new java.util.Random(42);
        double[] medians = new double[BOOTSTRAP_RESAMPLES];
        double[] sample = new double[v.length];
        for (int b = 0; b < medians.length; b++) {
            for (int i = 0; i < sample.length; i++) {
                sample[i] = v[random.nextInt(v.length)];
            }
            medians[b] = median(sample);
        }
        Arrays.sort(medians);
        return new double[] {medians[(int) (0.025 * medians.length)], medians[(int) (0.975 * medians.length) - 1]};
    }

    static double median(double[] v) {
        return pctl(v, 0.5);
    }

    /** Median of the sorted values (mean of the middle two for an even count); other quantiles by nearest rank. */
    private static double pctl(double[] v, double q) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        if (q == 0.5) {
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
        return s[Math.max(0, Math.min(s.length - 1, (int) Math.ceil(q * s.length) - 1))];
    }

    private static long median(List<Long> v) {
        return Math.round(median(v.stream().mapToDouble(Long::doubleValue).toArray()));
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static String medianMs(List<Long> nanos) {
        return f0(median(nanos.stream().mapToDouble(x -> x / 1e6).toArray()));
    }

    private static String join(List<Long> v) {
        return v.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "?" : f1(nanos / 1e6);
    }

    private static String pct(double p) {
        return Double.isNaN(p) ? "?" : String.format(Locale.ROOT, "%.0f%%", p);
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}
