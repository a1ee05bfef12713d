package dev.pixelsense.bench;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.api.ApiServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Gateway-overhead benchmark: how much latency pixelsense adds in front of an OpenAI-compatible
 * upstream that answers instantly.
 *
 * <p>Method. One JVM runs three parts: an {@link InstantUpstream}, pixelsense (library API,
 * {@code serve()} on port 0, one {@code openai} model pointing at the upstream) and an
 * {@link OpenLoop open-loop} load generator using {@code java.net.http.HttpClient} over HTTP/1.1
 * from virtual threads. For each payload and rate the same schedule is run twice, straight to the
 * upstream and through pixelsense, each with its own warm-up; the difference of the percentiles
 * is the added latency. Payloads: a small text chat request, the same with a 1920x1080 PNG
 * screenshot as a {@code data:} URL, and a streamed text request whose latency is the time to the
 * first {@code data:} line (time to first token). Latency counts from the scheduled send time,
 * so queueing anywhere, the generator included, shows up instead of being hidden.
 *
 * <p>Before any series, a closed-loop warm-up runs every path for {@code --jit-warmup} seconds:
 * on two cores the JIT keeps compiling Jetty, Jackson and the HTTP client for tens of seconds, and
 * an open loop against a half-compiled server measures the compiler, not the gateway.
 */
public final class GatewayBench {
    private static final Report.Goal TEXT_GOAL = new Report.Goal(1.0, 5.0);
    private static final Report.Goal IMAGE_GOAL = new Report.Goal(5.0, null);
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private GatewayBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, System::getenv);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        byte[] png = Screenshot.png();
        System.err.printf("bench: screenshot %dx%d PNG, %,d bytes (%,d as base64)%n", Screenshot.WIDTH,
                Screenshot.HEIGHT, png.length, (png.length + 2) / 3 * 4);
        ZonedDateTime when = ZonedDateTime.now();
        List<Report.Comparison> comparisons = new ArrayList<>();
        CpuMeter wholeRun = new CpuMeter();
        try (InstantUpstream upstream = InstantUpstream.start();
             Pixelsense pixelsense = Pixelsense.open(
                     Pixelsense.loader(System::getenv).parse("bench.yaml", config(upstream.baseUrl())),
                     System::getenv);
             ApiServer api = pixelsense.serve();
             var executor = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                     .connectTimeout(Duration.ofSeconds(10)).build()) {
            URI direct = URI.create(upstream.baseUrl() + "/chat/completions");
            URI gateway = URI.create(api.baseUrl() + "/v1/chat/completions");
            byte[] text = textRequest(false);
            byte[] image = imageRequest(png);
            byte[] streamed = textRequest(true);
            List<OpenLoop.Call> everyPath = List.of(complete(client, direct, text), complete(client, gateway, text),
                    complete(client, direct, image), complete(client, gateway, image),
                    firstToken(client, direct, streamed), firstToken(client, gateway, streamed));
            long failed = OpenLoop.warmUp(everyPath, options.jitWarmup(), 8);
            System.err.printf("bench: JIT warm-up done (%.0f s closed loop, %d failures)%n",
                    options.jitWarmup().toMillis() / 1e3, failed);
            for (int rate : options.rates()) {
                if (options.payloads().contains("text")) {
                    comparisons.add(compare("text", TEXT_GOAL, rate, options,
                            complete(client, direct, text), complete(client, gateway, text)));
                }
            }
            for (int rate : options.rates()) {
                if (options.payloads().contains("image")) {
                    comparisons.add(compare("image 1080p PNG", IMAGE_GOAL, rate, options,
                            complete(client, direct, image), complete(client, gateway, image)));
                }
            }
            if (options.payloads().contains("stream")) {
                comparisons.add(compare("stream TTFT", Report.Goal.NONE, options.streamRate(), options,
                        firstToken(client, direct, streamed), firstToken(client, gateway, streamed)));
            }
        }
        String markdown = Report.render(when, System.getProperty("bench.command", "bench/run"),
                setup(options, png.length), wholeRun.stop(), comparisons, notes());
        System.out.println(markdown);
        Path file = Report.write(Path.of(System.getProperty("bench.results", "bench/results")), when, markdown);
        System.err.println("bench: written to " + file);
    }

    private static Report.Comparison compare(String payload, Report.Goal goal, int rate, BenchOptions options,
                                             OpenLoop.Call direct, OpenLoop.Call gateway) throws Exception {
        Report.Series a = series(payload, "direct", direct, rate, options);
        Report.Series b = series(payload, "pixelsense", gateway, rate, options);
        return new Report.Comparison(payload, a, b, goal);
    }

    private static Report.Series series(String payload, String target, OpenLoop.Call call, int rate,
                                        BenchOptions options) throws Exception {
        // Start each series from a collected heap and quiet sockets, so one series' garbage and
        // stragglers are not billed to the next.
        System.gc();
        Thread.sleep(500);
        CpuMeter cpu = new CpuMeter();
        OpenLoop.Result r = OpenLoop.run(call, rate, options.warmup(), options.duration(), DRAIN);
        CpuMeter.Share share = cpu.stop();
        LatencyStats l = r.latency();
        System.err.printf("bench: %-16s %-10s %5d req/s  p50 %7s  p99 %7s  max %8s ms  errors %d  "
                        + "CPU bench %.0f%% others %.0f%%%n", payload, target, rate, LatencyStats.ms(l.p50()),
                LatencyStats.ms(l.p99()), LatencyStats.ms(l.max()), r.errorCount(), share.benchPercent(),
                share.otherPercent());
        return new Report.Series(payload, target, r, share);
    }

    /** A whole answer; the measured moment is when its body has been read. */
    private static OpenLoop.Call complete(HttpClient client, URI uri, byte[] body) {
        HttpRequest request = post(uri, body);
        return () -> {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long at = System.nanoTime();
            if (response.statusCode() != 200) {
                throw new OpenLoop.Failure("status " + response.statusCode());
            }
            return at;
        };
    }

    /** A streamed answer; the measured moment is the first {@code data:} line. It must end in [DONE]. */
    private static OpenLoop.Call firstToken(HttpClient client, URI uri, byte[] body) {
        HttpRequest request = post(uri, body);
        return () -> {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                if (response.statusCode() != 200) {
                    throw new OpenLoop.Failure("status " + response.statusCode());
                }
                long first = 0;
                boolean seen = false;
                String last = null;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("data:")) {
                        if (!seen) {
                            first = System.nanoTime();
                            seen = true;
                        }
                        last = line;
                    }
                }
                if (!"data: [DONE]".equals(last)) {
                    throw new OpenLoop.Failure("stream ended without data: [DONE]");
                }
                return first;
            }
        };
    }

    private static HttpRequest post(URI uri, byte[] body) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static String config(String upstreamBaseUrl) {
        return """
                server: {port: 0, max_body_size: 64MB}
                models:
                  - {id: bench, backend: openai, base_url: %s, max_concurrency: 256, queue_size: 4096}
                """.formatted(upstreamBaseUrl);
    }

    private static byte[] textRequest(boolean stream) {
        return ("{\"model\":\"bench\",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
                + "{\"role\":\"user\",\"content\":\"Say hello in five words.\"}],\"max_tokens\":16"
                + (stream ? ",\"stream\":true" : "") + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] imageRequest(byte[] png) {
        return ("{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"What is on this screen?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\"}}]}],\"max_tokens\":64}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String setup(BenchOptions o, int pngBytes) {
        return String.format("%.0f s closed-loop JIT warm-up of every path, then open loop, %.1f s warm-up + "
                        + "%.1f s measured per series; rates %s req/s; stream TTFT at %d req/s; image: %dx%d PNG "
                        + "screenshot, %,d bytes (%,d base64)", o.jitWarmup().toMillis() / 1e3,
                o.warmup().toMillis() / 1e3, o.duration().toMillis() / 1e3, o.rates(), o.streamRate(),
                Screenshot.WIDTH, Screenshot.HEIGHT, pngBytes, (pngBytes + 2) / 3 * 4);
    }

    private static List<String> notes() {
        return List.of(
                "The load generator, the instant upstream and pixelsense share one JVM and all "
                        + Runtime.getRuntime().availableProcessors() + " CPUs: they compete for cores, so "
                        + "pixelsense's numbers include that contention (on a small machine, most of it).",
                "Open loop: requests leave on a fixed schedule whatever the earlier ones did; latency counts "
                        + "from the scheduled send time, so any queueing (gateway, upstream or generator) is counted.",
                "Added = percentile through pixelsense minus the same percentile direct, from two separate "
                        + "runs of the same schedule; it is not a percentile of per-request differences.",
                "Stream TTFT = time to the first `data:` line; pixelsense only starts a stream once the "
                        + "upstream's first chunk is parsed, so this includes that wait.",
                "CPU bench / CPU others: share of the whole machine (all CPUs = 100%) used by this JVM and by "
                        + "every other process during the series (warm-up included); a busy neighbour inflates "
                        + "latencies and makes the run less trustworthy.",
                "'max send lag' is how late the generator launched a request at worst: a large value means "
                        + "the machine, not only the target, was behind.");
    }
}
