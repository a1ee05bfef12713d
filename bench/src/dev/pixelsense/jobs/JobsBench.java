package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.openai.OpenAiJson;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The jobs benchmark (bench/jobs): no-op jobs end to end on one Redis, with 1 and 4
 * {@code pixelsense worker} processes, against two anchors in the same run: a raw Redis queue
 * (LPUSH, BRPOP, LPUSH of a result, with the same RESP client; no job state at all: the floor) and
 * BullMQ (Node.js) with the same worker counts and concurrency.
 *
 * <p>Throughput: JOBS jobs submitted in pipelined batches of 500 (pixelsense: submitAll; BullMQ:
 * addBulk) after a warm-up, until the last one succeeded. Dispatch latency: jobs submitted one by
 * one at RATE per second (open loop), from just before the submit call to the moment a subscriber
 * sees the job running (pixelsense: the 'running' event on pub/sub; BullMQ: the 'active' event;
 * raw Redis: the BRPOP returning). Lives in the jobs package to use the engine's RESP client.
 *
 * <p>Arguments: jar, work dir, node dir ("-" = no BullMQ), jobs, rate, latency jobs, concurrency, command.
 */
public final class JobsBench {
    private record Row(String engine, int workers, int concurrency, double jobsPerSecond, long p50, long p99,
                       long max, int samples, double redisUsPerJob) {
        Row withRedisCpu(double us) {
            return new Row(engine, workers, concurrency, jobsPerSecond, p50, p99, max, samples, us);
        }
    }

    private static long workersCpuNanos(List<Process> procs) {
        return procs.stream().mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L))
                .sum();
    }

    /** Seconds of CPU redis-server used so far (user + system). */
    private static double redisCpu(RespConnection redis) {
        double total = 0;
        for (String line : ((String) redis.call("INFO", "cpu")).split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                total += Double.parseDouble(line.substring(line.indexOf(':') + 1));
            }
        }
        return total;
    }

    private static final String PREFIX = "bench:";
    /** Warm-up jobs per worker process (both engines), so each has compiled its hot paths. */
    static final int WARMUP_PER_WORKER = 5_000;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path work = Path.of(args[1]);
        String nodeDir = args[2];
        int jobs = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int latencyJobs = Integer.parseInt(args[5]);
        int concurrency = Integer.parseInt(args[6]);
        String command = args[7];
        int repeats = Integer.parseInt(args[8]);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        List<Row> rows = new ArrayList<>();
        int port = freePort();
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--loglevel", "warning")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        URI uri = URI.create("redis://127.0.0.1:" + port);
        try {
            awaitRedis(uri);
            for (int run = 0; run < repeats; run++) {
            for (int workers : new int[] {1, 4}) {
                flush(uri);
                rows.add(pixelsense(jar, work, uri, workers, concurrency, jobs, rate, latencyJobs));
                flush(uri);
                rows.add(rawRedis(uri, workers * concurrency, jobs, rate, latencyJobs));
                if (!nodeDir.equals("-")) {
                    flush(uri);
                    rows.add(bullmq(Path.of(nodeDir), port, workers, concurrency, jobs, rate, latencyJobs));
                }
            }
            }
        } finally {
            redis.destroy();
            redis.waitFor(5, TimeUnit.SECONDS);
        }
        report(rows, command, loadBefore, Files.readString(Path.of("/proc/loadavg")).trim(), jobs, rate, latencyJobs,
                nodeDir.equals("-"), repeats);
    }

    private static Row pixelsense(Path jar, Path work, URI uri, int workers, int concurrency, int jobs, int rate,
                                  int latencyJobs) throws Exception {
        Path config = Files.writeString(work.resolve("empty.yaml"), "models: []\n");
        List<Process> procs = new ArrayList<>();
        JobSettings settings = JobSettings.defaults().withPrefix(PREFIX);
        try (JobQueue client = JobQueue.redis(uri, settings); RespConnection redis = new RespConnection(uri, 10_000)) {
            for (int i = 0; i < workers; i++) {
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", jar.toString(), "dev.pixelsense.cli.Main",
                        "worker", "--config", config.toString(), "--redis", uri.toString(), "--prefix", PREFIX,
                        "--concurrency", Integer.toString(concurrency))
                        .redirectError(work.resolve("worker-" + i + ".log").toFile()).start();
                procs.add(p);
                String line = p.inputReader(StandardCharsets.UTF_8).readLine();
                if (line == null || !line.startsWith("worker ready")) {
                    throw new IllegalStateException("worker " + i + " did not start; see " + work);
                }
            }
            // warm-up (JIT of every worker process, connections), then throughput
            submitAndAwait(client, redis, WARMUP_PER_WORKER * workers);
            redis.call("CONFIG", "RESETSTAT");
            double cpu0 = redisCpu(redis);
            long workerCpu0 = workersCpuNanos(procs);
            long t0 = System.nanoTime();
            submitAndAwait(client, redis, jobs);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double redisUsPerJob = (redisCpu(redis) - cpu0) * 1e6 / jobs;
            System.err.printf(Locale.ROOT, "bench: %d worker(s): worker processes used %.0f µs CPU per job%n", workers,
                    (workersCpuNanos(procs) - workerCpu0) / 1e3 / jobs);
            if (System.getProperty("bench.commandstats") != null) {
                System.err.println(redis.call("INFO", "commandstats"));
            }
            // dispatch latency: submit -> the 'running' event seen by a subscriber
            Map<String, Long> started = new ConcurrentHashMap<>();
            Map<String, Long> submitted = new ConcurrentHashMap<>();
            RespConnection sub = new RespConnection(uri, 10_000);
            sub.send("PSUBSCRIBE", PREFIX + "events:*");
            sub.read();
            sub.timeout(0);
            Thread listener = Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    while (true) {
                        List<?> push = (List<?>) sub.read();
                        long now = System.nanoTime();
                        JsonNode event = OpenAiJson.MAPPER.readTree((String) push.get(3));   // pmessage
                        if ("running".equals(event.path("state").asText())) {
                            started.putIfAbsent(event.path("id").asText(), now);
                        }
                    }
                } catch (Exception e) {
                    // the connection closed: done
                }
            });
            JsonNode input = OpenAiJson.MAPPER.readTree("{}");
            long loop = System.nanoTime();
            for (int i = 0; i < latencyJobs; i++) {
                pace(loop, i, rate);
                long before = System.nanoTime();
                submitted.put(client.submit(JobRequest.of("noop", input)).id(), before);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!started.keySet().containsAll(submitted.keySet()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            sub.close();
            listener.join(1000);
            long[] lat = submitted.entrySet().stream().filter(e -> started.containsKey(e.getKey()))
                    .mapToLong(e -> started.get(e.getKey()) - e.getValue()).toArray();
            return row("pixelsense", workers, concurrency, jobs / seconds, lat).withRedisCpu(redisUsPerJob);
        } finally {
            for (Process p : procs) {
                p.destroy();
            }
            for (Process p : procs) {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static void submitAndAwait(JobQueue client, RespConnection redis, int jobs) throws Exception {
        long base = (Long) redis.call("ZCARD", PREFIX + "state:succeeded");
        JsonNode input = OpenAiJson.MAPPER.readTree("{}");
        for (int i = 0; i < jobs; i += 500) {
            List<JobRequest> batch = new ArrayList<>();
            for (int j = i; j < Math.min(jobs, i + 500); j++) {
                batch.add(JobRequest.of("noop", input));
            }
            client.submitAll(batch);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while ((Long) redis.call("ZCARD", PREFIX + "state:succeeded") < base + jobs) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("jobs did not finish within 300 s");
            }
            Thread.sleep(5);
        }
    }

    /** The floor: a list as the queue, BRPOP to take, LPUSH of a result to finish; no job state. */
    private static Row rawRedis(URI uri, int consumers, int jobs, int rate, int latencyJobs) throws Exception {
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < consumers; i++) {
            threads.add(Thread.ofPlatform().daemon(true).start(() -> {
                try (RespConnection c = new RespConnection(uri, 10_000)) {
                    while (running.get()) {
                        List<?> item = (List<?>) c.call("BRPOP", "raw:q", 1);
                        if (item != null) {
                            String id = (String) item.get(1);
                            if (id.startsWith("lat-")) {
                                arrived.put(id, System.nanoTime());
                            }
                            c.call("LPUSH", "raw:done", id);
                        }
                    }
                }
            }));
        }
        try (RespConnection producer = new RespConnection(uri, 10_000)) {
            rawBatch(producer, 0, 5_000);   // warm-up
            double cpu0 = redisCpu(producer);
            long t0 = System.nanoTime();
            rawBatch(producer, 5_000, jobs);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (redisCpu(producer) - cpu0) * 1e6 / jobs;
            Map<String, Long> sent = new ConcurrentHashMap<>();
            long loop = System.nanoTime();
            for (int i = 0; i < latencyJobs; i++) {
                pace(loop, i, rate);
                sent.put("lat-" + i, System.nanoTime());
                producer.call("LPUSH", "raw:q", "lat-" + i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (arrived.size() < latencyJobs && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            running.set(false);
            long[] lat = sent.entrySet().stream().filter(e -> arrived.containsKey(e.getKey()))
                    .mapToLong(e -> arrived.get(e.getKey()) - e.getValue()).toArray();
            return row("raw Redis (LPUSH/BRPOP)", consumers, 1, jobs / seconds, lat).withRedisCpu(cpu);
        } finally {
            running.set(false);
            for (Thread t : threads) {
                t.join(2000);
            }
        }
    }

    private static void rawBatch(RespConnection producer, int already, int jobs) throws InterruptedException {
        for (int i = 0; i < jobs; i += 500) {
            int n = Math.min(jobs, i + 500) - i;
            for (int j = 0; j < n; j++) {
                producer.write("LPUSH", "raw:q", "job-" + (already + i + j));
            }
            producer.flush();
            for (int j = 0; j < n; j++) {
                producer.read();
            }
        }
        while ((Long) producer.call("LLEN", "raw:done") < already + jobs) {
            Thread.sleep(5);
        }
    }

    private static Row bullmq(Path nodeDir, int port, int workers, int concurrency, int jobs, int rate,
                              int latencyJobs) throws Exception {
        Process p = new ProcessBuilder("node", "jobs-bullmq.mjs", "main", Integer.toString(port),
                Integer.toString(workers), Integer.toString(concurrency), Integer.toString(jobs), Integer.toString(rate),
                Integer.toString(latencyJobs), Integer.toString(WARMUP_PER_WORKER * workers)).directory(nodeDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the BullMQ anchor failed: " + out);
        }
        JsonNode r = OpenAiJson.MAPPER.readTree(out.substring(out.lastIndexOf('\n') + 1));
        return new Row("BullMQ " + bullmqVersion(nodeDir), workers, concurrency, r.path("jobs_per_s").asDouble(),
                (long) (r.path("p50_ms").asDouble() * 1e6), (long) (r.path("p99_ms").asDouble() * 1e6),
                (long) (r.path("max_ms").asDouble() * 1e6), r.path("latency_count").asInt(),
                r.path("redis_us_per_job").asDouble(Double.NaN));
    }

    private static String bullmqVersion(Path nodeDir) throws IOException {
        return OpenAiJson.MAPPER.readTree(nodeDir.resolve("node_modules/bullmq/package.json").toFile())
                .path("version").asText();
    }

    private static Row row(String engine, int workers, int concurrency, double jobsPerSecond, long[] latencies) {
        Arrays.sort(latencies);
        return new Row(engine, workers, concurrency, jobsPerSecond, pct(latencies, 0.5), pct(latencies, 0.99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1], latencies.length, Double.NaN);
    }

    private static long pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, Math.min(sorted.length - 1,
                (int) Math.ceil(q * sorted.length) - 1))];
    }

    private static void pace(long loopStart, int i, int rate) throws InterruptedException {
        long due = loopStart + i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static void flush(URI uri) {
        try (RespConnection c = new RespConnection(uri, 10_000)) {
            c.call("FLUSHALL");
        }
    }

    private static void awaitRedis(URI uri) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (RespConnection c = new RespConnection(uri, 1000)) {
                c.call("PING");
                return;
            } catch (RuntimeException e) {
                Thread.sleep(25);
            }
        }
        throw new IllegalStateException("redis-server did not start");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void report(List<Row> runs, String command, String loadBefore, String loadAfter, int jobs, int rate,
                               int latencyJobs, boolean noBullmq, int repeats) {
        StringBuilder out = new StringBuilder();
        out.append("## Jobs: no-op jobs end to end on one Redis (")
                .append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))).append(")\n\n");
        out.append("Command: `").append(command).append("`. Machine: ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load average before ").append(loadBefore).append(", after ").append(loadAfter)
                .append(". Throughput: ").append(jobs).append(" jobs in pipelined batches of 500 after a warm-up of ")
                .append(WARMUP_PER_WORKER).append(" jobs per worker process. ")
                .append("Dispatch: ").append(latencyJobs).append(" jobs at ").append(rate)
                .append("/s, submit call to running seen by a subscriber. ").append(repeats)
                .append(" round(s), each engine in turn; medians, throughput range in brackets.\n\n");
        out.append("| engine | workers | concurrency each | jobs/s (range) | Redis CPU µs/job | dispatch p50 ms | p99 ms "
                + "| max ms |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        List<Row> medians = new ArrayList<>();
        for (Row first : runs) {
            if (medians.stream().anyMatch(m -> m.engine().equals(first.engine()) && m.workers() == first.workers())) {
                continue;
            }
            List<Row> same = runs.stream().filter(r -> r.engine().equals(first.engine())
                    && r.workers() == first.workers()).toList();
            Row m = new Row(first.engine(), first.workers(), first.concurrency(),
                    median(same.stream().mapToDouble(Row::jobsPerSecond).toArray()),
                    (long) median(same.stream().mapToDouble(Row::p50).toArray()),
                    (long) median(same.stream().mapToDouble(Row::p99).toArray()),
                    (long) median(same.stream().mapToDouble(Row::max).toArray()), first.samples(),
                    median(same.stream().mapToDouble(Row::redisUsPerJob).toArray()));
            medians.add(m);
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %.0f (%.0f-%.0f) | %s | %.2f | %.2f | %.2f |%n",
                    m.engine(), m.workers(), m.concurrency(), m.jobsPerSecond(),
                    same.stream().mapToDouble(Row::jobsPerSecond).min().orElse(0),
                    same.stream().mapToDouble(Row::jobsPerSecond).max().orElse(0),
                    Double.isNaN(m.redisUsPerJob()) ? "-" : String.format(Locale.ROOT, "%.0f", m.redisUsPerJob()),
                    m.p50() / 1e6, m.p99() / 1e6, m.max() / 1e6));
        }
        out.append('\n');
        for (Row r : medians) {
            if (!r.engine().equals("pixelsense")) {
                continue;
            }
            for (Row anchor : medians) {
                if (anchor != r && anchor.workers() == (anchor.engine().startsWith("raw") ? r.workers()
                        * r.concurrency() : r.workers())) {
                    out.append(String.format(Locale.ROOT, "- %d worker(s): pixelsense / %s = %.2f x throughput, "
                            + "%.2f x p50 dispatch%n", r.workers(), anchor.engine(), r.jobsPerSecond()
                            / anchor.jobsPerSecond(), (double) r.p50() / Math.max(1, anchor.p50())));
                }
            }
        }
        if (noBullmq) {
            out.append("\nBullMQ was not run (node or npm missing).\n");
        }
        System.out.print(out);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
