package dev.pixelsense.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What one benchmark run does. Flags win over environment variables, which win over the defaults
 * (30 s JIT warm-up of every path, then per series 3 s warm-up and 10 s measured, at 200 and 1000 req/s;
 * streamed first token at 200 req/s).
 *
 * <pre>
 * --quick                 10 s JIT warm-up, then 1 s warm-up + 3 s measured per series (BENCH_QUICK=1)
 * --jit-warmup SECONDS    BENCH_JIT_WARMUP: closed-loop warm-up of every path before any series
 * --warmup SECONDS        BENCH_WARMUP: open-loop warm-up at the series' rate, not counted
 * --duration SECONDS      BENCH_DURATION
 * --rates 200,1000        BENCH_RATES
 * --stream-rate 200       BENCH_STREAM_RATE
 * --payloads text,image,stream   BENCH_PAYLOADS: which comparisons to run (default all)
 * </pre>
 */
record BenchOptions(Duration jitWarmup, Duration warmup, Duration duration, List<Integer> rates, int streamRate,
                    Set<String> payloads) {
    static final Set<String> PAYLOADS = Set.of("text", "image", "stream");

    BenchOptions {
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("--duration must be positive: nothing would be measured");
        }
        if (rates.isEmpty() || rates.stream().anyMatch(r -> r <= 0) || streamRate <= 0) {
            throw new IllegalArgumentException("rates must be positive requests per second");
        }
        rates = List.copyOf(rates);
        if (payloads.isEmpty() || !PAYLOADS.containsAll(payloads)) {
            throw new IllegalArgumentException("--payloads takes a list of " + PAYLOADS + ", got " + payloads);
        }
        payloads = Set.copyOf(payloads);
    }

    static BenchOptions parse(String[] args, Function<String, String> env) {
        boolean quick = "1".equals(env.apply("BENCH_QUICK"));
        String jitWarmup = env.apply("BENCH_JIT_WARMUP");
        String warmup = env.apply("BENCH_WARMUP");
        String duration = env.apply("BENCH_DURATION");
        String rates = env.apply("BENCH_RATES");
        String streamRate = env.apply("BENCH_STREAM_RATE");
        String payloads = env.apply("BENCH_PAYLOADS");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--jit-warmup" -> jitWarmup = value(args, ++i);
                case "--warmup" -> warmup = value(args, ++i);
                case "--duration" -> duration = value(args, ++i);
                case "--rates" -> rates = value(args, ++i);
                case "--stream-rate" -> streamRate = value(args, ++i);
                case "--payloads" -> payloads = value(args, ++i);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --quick --jit-warmup S --warmup S --duration S --rates R1,R2 --stream-rate R"
                        + " --payloads P1,P2");
            }
        }
        return new BenchOptions(
                seconds(jitWarmup, quick ? 10 : 30),
                seconds(warmup, quick ? 1 : 3),
                seconds(duration, quick ? 3 : 10),
                rates == null ? List.of(200, 1000)
                        : Arrays.stream(rates.split(",")).map(String::trim).map(Integer::parseInt).toList(),
                streamRate == null ? 200 : Integer.parseInt(streamRate),
                payloads == null ? PAYLOADS : Set.of(payloads.split("\\s*,\\s*")));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static Duration seconds(String text, double fallback) {
        double s = text == null ? fallback : Double.parseDouble(text);
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
