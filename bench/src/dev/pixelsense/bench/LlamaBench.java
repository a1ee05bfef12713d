package dev.pixelsense.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import dev.pixelsense.testing.TinyGguf;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Local-model benchmark (issue 3): a tiny random-weight GGUF, made here, generating through
 * pixelsense ({@code pixelsense serve}, its own process, HTTP streaming), through the same runner
 * process called directly over HTTP (its port from {@code GET /api/ps}), and through
 * {@code de.kherud.llama.LlamaModel} in this JVM, in one run.
 *
 * <p>Every generation is greedy (temperature 0) with a seed (the runner then turns llama.cpp's
 * prompt cache off, and so does the in-process path), so all three targets compute the same
 * tokens. The prompt is chosen so that end-of-sequence never wins within {@code --tokens}: its
 * answer equals the answer with EOS banned ({@code ignore_eos}, which HTTP does not offer), so
 * every answer has exactly {@code --tokens} tokens; each HTTP answer is checked to be that text.
 *
 * <p>Parts: (1) tokens/s of a long streamed answer, the three targets interleaved in rotating
 * order, medians; (2) time to first token of short requests, direct and pixelsense alternating;
 * (3) cold load (server start, first request) and unload-to-reload. CPU time of the server, the
 * runner and this JVM is read around every answer, to show where time goes.
 */
public final class LlamaBench {
    static final String MODEL_ID = "tiny";
    static final int SEED = 1;
    static final long MODEL_SEED = 7;
    static final TinyGguf.Options SHAPE = new TinyGguf.Options(4, 256, 8, 8, 1024, 2048, TinyGguf.CHATML_TEMPLATE);
    static final int TTFT_TOKENS = 16;

    enum Target { DIRECT, PIXELSENSE, JNI }

    record Options(int reps, int warmup, int tokens, int ttftRequests, int ttftWarmup, int reloads, int threads,
                   int contextSize, Path work, Path jar) {
        static Options parse(String[] args) {
            int reps = 61, warmup = 60, tokens = 256, ttft = 50, ttftWarmup = 3000, reloads = 3, threads = 2;
            Path work = Path.of("/tmp/pixelsense-bench-llama");
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--reps" -> reps = Integer.parseInt(v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--tokens" -> tokens = Integer.parseInt(v);
                    case "--ttft" -> ttft = Integer.parseInt(v);
                    case "--ttft-warmup" -> ttftWarmup = Integer.parseInt(v);
                    case "--reloads" -> reloads = Integer.parseInt(v);
                    case "--threads" -> threads = Integer.parseInt(v);
                    case "--dir" -> work = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; usage: bench/llama "
                            + "[--reps N] [--warmup SECONDS] [--tokens N] [--ttft N] [--ttft-warmup N] [--reloads N] [--threads N] "
                            + "[--dir DIR]");
                }
                i++;
            }
            if (reps < 1 || warmup < 0 || tokens < TTFT_TOKENS || ttft < 1 || ttftWarmup < 0 || reloads < 1
                    || threads < 1) {
                throw new IllegalArgumentException("--reps, --ttft, --reloads, --threads must be >= 1, --warmup and "
                        + "--ttft-warmup >= 0, --tokens >= " + TTFT_TOKENS);
            }
            return new Options(reps, warmup, tokens, ttft, ttftWarmup, reloads, threads, 1024, work,
                    Path.of(System.getProperty("bench.jar", "target/pixelsense.jar")));
        }
    }

    /** One long answer. CPU times are of the whole process during the answer, -1 when unknown. */
    record Run(Target target, int round, StreamedChat.Result result, boolean sameText, long serverCpuNs,
               long runnerCpuNs, long benchCpuNs) {
    }

    /** Loading figures, all in milliseconds. */
    record Loads(long jniLoad, long serveReady, long coldFirstToken, long coldPsLoad, long coldRunnerLoad,
                 List<Long> unload, List<Long> reloadFirstToken, List<Long> reloadPsLoad, List<Long> reloadRunnerLoad) {
    }

    record Results(Options options, String prompt, int probes, long modelBytes, List<Run> runs,
                   List<long[]> ttft, List<long[]> ttftSettling, Loads loads, CpuMeter.Share share, long measuredNs, long serverCpuNs,
                   long runnerCpuNs, Map<String, long[]> threadCpu, List<Long> warmServerCpu, long serverShortCpuNs,
                   double cpuPressurePercent) {
    }

    private LlamaBench() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        ZonedDateTime when = ZonedDateTime.now();
        String loadBefore = LlamaReport.loadAverage();
        Results r;
        try {
            r = run(o);
        } catch (Exception e) {
            e.printStackTrace();
            System.err.println("bench: failed: " + e.getMessage() + " (server log: " + o.work().resolve("serve.log") + ")");
            System.exit(1); // the JVM would not end by itself: see below
            return;
        }
        String markdown = LlamaReport.render(when, loadBefore, LlamaReport.loadAverage(), r);
        System.out.println(markdown);
        Path file = Report.write(Path.of(System.getProperty("bench.results", "bench/results")), "llama", when, markdown);
        System.err.println("bench: written to " + file);
        // llama.cpp's server loop is a non-daemon native thread that close() leaves behind
        System.exit(0);
    }

    private static Results run(Options o) throws Exception {
        Files.createDirectories(o.work());
        Path gguf = TinyGguf.write(o.work().resolve("bench-tiny.gguf"), MODEL_SEED, SHAPE);
        Path config = Files.writeString(o.work().resolve("config.yaml"), """
                models:
                  - id: %s
                    backend: llamacpp
                    model: %s
                    threads: %d
                    keep_alive: -1
                    max_concurrency: 1
                    defaults: {context_size: %d}
                """.formatted(MODEL_ID, gguf, o.threads(), o.contextSize()));
        long t0 = System.nanoTime();
        try (LlamaModel jni = InProcessLlama.load(gguf, o);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(5)).build()) {
            long jniLoad = ms(System.nanoTime() - t0);
            log("model %s (%,d bytes), in-process load %d ms; choosing a prompt without EOS...", gguf,
                    Files.size(gguf), jniLoad);
            String prompt = null;
            String reference = null;
            int probes = 0;
            for (int k = 0; k < 40 && prompt == null; k++, probes++) {
                String candidate = "Tell me story number " + k + ".";
                InferenceParameters p = InProcessLlama.sampling(jni, candidate, o.tokens());
                String free = jni.complete(p);
                if (!free.isEmpty() && free.equals(jni.complete(p.setIgnoreEos(true)))) {
                    prompt = candidate;
                    reference = free;
                }
            }
            if (prompt == null) {
                throw new IllegalStateException("every prompt tried met EOS within " + o.tokens() + " tokens");
            }
            log("prompt \"%s\" (%d probes); starting pixelsense serve...", prompt, probes);
            StreamedChat chat = new StreamedChat(http);
            byte[] longBody = StreamedChat.body(prompt, o.tokens());
            byte[] shortBody = StreamedChat.body(prompt, TTFT_TOKENS);

            t0 = System.nanoTime();
            try (ServeProcess serve = ServeProcess.start(o.jar(), config, o.work().resolve("serve.log"), http)) {
                long serveReady = ms(System.nanoTime() - t0);
                URI viaPixelsense = URI.create(serve.baseUrl() + "/v1/chat/completions");
                long coldFirst = ms(chat.send(viaPixelsense, shortBody).firstContentNs());
                var ps = serve.ps(MODEL_ID).orElseThrow(() -> new IllegalStateException("not loaded after a request"));
                long coldPsLoad = ps.path("load_ms").asLong();
                long runnerPid = ps.path("pid").asLong();
                URI direct = URI.create("http://127.0.0.1:" + ps.path("port").asInt() + "/v1/chat/completions");
                long coldRunnerLoad = last(serve.runnerLoadMillis());
                log("serve ready in %d ms, cold first token %d ms (runner ready after %d ms, llama.cpp load %d ms)",
                        serveReady, coldFirst, coldPsLoad, coldRunnerLoad);

                log("warming up for %d s (JIT of client, server and runner)...", o.warmup());
                // On two busy cores the server's JIT takes about a minute of streaming to settle: its CPU
                // per answer falls from ~600 ms to ~110 ms. Every answer also warms the runner.
                List<Long> warmServerCpu = new ArrayList<>();
                long warmEnd = System.nanoTime() + o.warmup() * 1_000_000_000L;
                for (int i = 0; System.nanoTime() < warmEnd || i < 3; i++) {
                    long s0 = ProcessCpu.nanos(serve.pid());
                    chat.send(viaPixelsense, longBody);
                    warmServerCpu.add(delta(s0, ProcessCpu.nanos(serve.pid())));
                    if (i % 5 == 0) {
                        chat.send(direct, longBody);
                        InProcessLlama.generate(jni, prompt, o.tokens());
                    }
                }
                log("warm-up: %d answers through pixelsense, server CPU per answer %d ms first, %d ms last",
                        warmServerCpu.size(), ms(warmServerCpu.getFirst()), ms(warmServerCpu.getLast()));
                for (int i = 0; i < 20; i++) {
                    chat.send(direct, shortBody);
                    chat.send(viaPixelsense, shortBody);
                }

                CpuMeter share = new CpuMeter();
                long pressure0 = ProcessCpu.pressureMicros();
                long measured0 = System.nanoTime();
                long serverCpu0 = ProcessCpu.nanos(serve.pid());
                long runnerCpu0 = ProcessCpu.nanos(runnerPid);
                // Code that runs once per request (parsing, routing, the upstream call) is still being
                // compiled after the long warm-up answers (C2 takes thousands of calls): settle it first,
                // keeping the figures to show how it went.
                log("time to first token: %d short request pairs to settle the JIT...", o.ttftWarmup());
                List<long[]> ttftSettling = new ArrayList<>(); // {direct, pixelsense} per pair
                for (int i = 0; i < o.ttftWarmup(); i++) {
                    long d = i % 2 == 0 ? chat.send(direct, shortBody).firstContentNs() : 0;
                    long p = chat.send(viaPixelsense, shortBody).firstContentNs();
                    if (i % 2 == 1) {
                        d = chat.send(direct, shortBody).firstContentNs();
                    }
                    ttftSettling.add(new long[] {d, p});
                }
                log("time to first token: %d short requests per target...", o.ttftRequests());
                List<long[]> ttft = new ArrayList<>(); // {direct, pixelsense, jni} per request
                long serverShortCpu = 0;
                for (int i = 0; i < o.ttftRequests(); i++) {
                    long d = i % 2 == 0 ? chat.send(direct, shortBody).firstContentNs() : 0;
                    long s0 = ProcessCpu.nanos(serve.pid());
                    long p = chat.send(viaPixelsense, shortBody).firstContentNs();
                    serverShortCpu += delta(s0, ProcessCpu.nanos(serve.pid()));
                    if (i % 2 == 1) {
                        d = chat.send(direct, shortBody).firstContentNs();
                    }
                    ttft.add(new long[] {d, p, InProcessLlama.generate(jni, prompt, TTFT_TOKENS).firstContentNs()});
                }
                // The long answers come last, on a server whose per-request code has settled too
                // (before, they ran with it still in C1: 5-7 ms more to the first token of each).
                log("tokens/s: %d rounds...", o.reps());
                List<Run> runs = new ArrayList<>();
                Map<String, long[]> threadCpu = new TreeMap<>(); // name -> {during pixelsense, during direct}
                Target[] order = Target.values();
                for (int round = 0; round < o.reps(); round++) {
                    for (int i = 0; i < order.length; i++) {
                        Target t = order[(i + round) % order.length];
                        long s0 = ProcessCpu.nanos(serve.pid());
                        long r0 = ProcessCpu.nanos(runnerPid);
                        long b0 = ProcessCpu.nanos(ProcessHandle.current().pid());
                        Map<String, Long> serverThreads = ProcessCpu.byThread(serve.pid());
                        Map<String, Long> runnerThreads = ProcessCpu.byThread(runnerPid);
                        StreamedChat.Result res = switch (t) {
                            case DIRECT -> chat.send(direct, longBody);
                            case PIXELSENSE -> chat.send(viaPixelsense, longBody);
                            case JNI -> InProcessLlama.generate(jni, prompt, o.tokens());
                        };
                        Run run = new Run(t, round, res, res.text().equals(reference),
                                delta(s0, ProcessCpu.nanos(serve.pid())), delta(r0, ProcessCpu.nanos(runnerPid)),
                                delta(b0, ProcessCpu.nanos(ProcessHandle.current().pid())));
                        runs.add(run);
                        if (t != Target.JNI) {
                            addThreads(threadCpu, "server ", serverThreads, ProcessCpu.byThread(serve.pid()), t);
                            addThreads(threadCpu, "runner ", runnerThreads, ProcessCpu.byThread(runnerPid), t);
                        }
                        log("round %d %-10s %6.0f tokens/s  %7.1f ms  first token %5.1f ms%s", round, t,
                                o.tokens() / (res.doneNs() / 1e9), res.doneNs() / 1e6, res.firstContentNs() / 1e6,
                                run.sameText() ? "" : "  (text differs from the reference!)");
                    }
                }

                long serverCpu = delta(serverCpu0, ProcessCpu.nanos(serve.pid()));
                long runnerCpu = delta(runnerCpu0, ProcessCpu.nanos(runnerPid));
                CpuMeter.Share measured = share.stop();
                long measuredNs = System.nanoTime() - measured0;
                long pressure1 = ProcessCpu.pressureMicros();
                double pressure = pressure0 < 0 || pressure1 < 0 ? Double.NaN
                        : 100.0 * (pressure1 - pressure0) * 1000 / measuredNs;

                log("unload and reload, %d times...", o.reloads());
                List<Long> unload = new ArrayList<>();
                List<Long> reloadFirst = new ArrayList<>();
                List<Long> reloadPs = new ArrayList<>();
                List<Long> reloadRunner = new ArrayList<>();
                for (int i = 0; i < o.reloads(); i++) {
                    long u0 = System.nanoTime();
                    serve.unload(MODEL_ID);
                    unload.add(ms(System.nanoTime() - u0));
                    if (serve.ps(MODEL_ID).isPresent()) {
                        throw new IllegalStateException("still loaded after POST /api/models/" + MODEL_ID + "/unload");
                    }
                    reloadFirst.add(ms(chat.send(viaPixelsense, shortBody).firstContentNs()));
                    reloadPs.add(serve.ps(MODEL_ID).orElseThrow().path("load_ms").asLong());
                    reloadRunner.add(last(serve.runnerLoadMillis()));
                    log("unload %d ms, reload to first token %d ms", unload.getLast(), reloadFirst.getLast());
                }
                Loads loads = new Loads(jniLoad, serveReady, coldFirst, coldPsLoad, coldRunnerLoad, unload, reloadFirst,
                        reloadPs, reloadRunner);
                return new Results(o, prompt, probes, Files.size(gguf), runs, ttft, ttftSettling, loads, measured,
                        measuredNs, serverCpu, runnerCpu, threadCpu, warmServerCpu, serverShortCpu, pressure);
            }
        }
    }

    private static void addThreads(Map<String, long[]> sums, String prefix, Map<String, Long> before,
                                   Map<String, Long> after, Target t) {
        after.forEach((name, nanos) -> sums.computeIfAbsent(prefix + name, k -> new long[2])[t == Target.PIXELSENSE
                ? 0 : 1] += Math.max(0, nanos - before.getOrDefault(name, 0L)));
    }

    private static long delta(long before, long after) {
        return before < 0 || after < 0 ? -1 : Math.max(0, after - before);
    }

    private static long last(List<Long> values) {
        return values.isEmpty() ? -1 : values.getLast();
    }

    static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }

    private static void log(String format, Object... args) {
        System.err.printf("bench: " + format + "%n", args);
    }
}
