package dev.pixelsense.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.openai.OpenAiJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pixelsense serve} in a process of its own, as a user runs it ({@code java -jar
 * pixelsense.jar serve --config C --port 0}), its output in a log file. Closing it stops the server
 * (SIGTERM: its shutdown hook stops the runners) and then makes sure no runner it started is left.
 */
final class ServeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+)/v1");
    private static final Pattern RUNNER_LOADED = Pattern.compile("loaded \\S+ in (\\d+) ms");

    private final Process process;
    private final Path log;
    private final HttpClient http;
    private final String baseUrl;
    private long lastRunnerPid = -1;

    private ServeProcess(Process process, Path log, HttpClient http, String baseUrl) {
        this.process = process;
        this.log = log;
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /** Starts the server and waits until {@code /ready} answers 200. */
    static ServeProcess start(Path jar, Path config, Path log, HttpClient http) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED"));
        String extra = System.getProperty("bench.serve.opts", "").trim(); // e.g. a JFR recording, to profile
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString(), "--port", "0"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String url = null;
        while (System.nanoTime() < end && p.isAlive()) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                url = m.group(1);
                break;
            }
            Thread.sleep(10);
        }
        if (url == null) {
            p.destroyForcibly();
            throw new IOException("pixelsense serve did not start; see " + log);
        }
        ServeProcess serve = new ServeProcess(p, log, http, url);
        while (System.nanoTime() < end) {
            if (serve.get("/ready").statusCode() == 200) {
                return serve;
            }
            Thread.sleep(10);
        }
        serve.close();
        throw new IOException("pixelsense serve was not ready within 60 s; see " + log);
    }

    String baseUrl() {
        return baseUrl;
    }

    long pid() {
        return process.pid();
    }

    /** The model's entry in {@code GET /api/ps}, empty when it is not loaded. */
    Optional<JsonNode> ps(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/ps");
        for (JsonNode m : OpenAiJson.MAPPER.readTree(r.body()).path("models")) {
            if (m.path("id").asText().equals(id)) {
                lastRunnerPid = m.path("pid").asLong(-1);
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    void unload(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/models/" + id + "/unload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("unload answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Every "loaded FILE in N ms" the runners wrote to the server log, oldest first (llama.cpp's own load). */
    List<Long> runnerLoadMillis() throws IOException {
        return RUNNER_LOADED.matcher(Files.readString(log)).results().map(m -> Long.parseLong(m.group(1))).toList();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (lastRunnerPid > 0) {
            // the server stops its runners on SIGTERM; a runner left behind would skew the next run
            ProcessHandle.of(lastRunnerPid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
