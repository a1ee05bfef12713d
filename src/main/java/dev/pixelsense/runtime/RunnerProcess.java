package dev.pixelsense.runtime;

import dev.pixelsense.error.UnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised runner process serving one model on a loopback port: started with its output
 * forwarded to the server log (tagged with the model id), ready once {@code GET /health} answers
 * 200 (503 means still loading), stopped gracefully (SIGTERM) and then forcibly. A crash is seen
 * through {@link #alive()}; the caller decides about restarts. Thread-safe.
 */
public final class RunnerProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunnerProcess.class);
    private static final int KEPT_LINES = 20;

    private final String modelId;
    private final Process process;
    private final int port;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final long startedNanos = System.nanoTime();
    private volatile long readyNanos;
    private volatile boolean stopping;

    private RunnerProcess(String modelId, Process process, int port) {
        this.modelId = modelId;
        this.process = process;
        this.port = port;
        Thread.ofVirtual().name("runner-log-" + modelId).start(this::pumpOutput);
        // a crash is reported when it happens, not only when the next request finds the port closed
        process.onExit().thenAccept(p -> {
            if (!stopping) {
                log.warn("[{}] runner (pid {}) exited unexpectedly with code {}; it restarts on the next request",
                        modelId, p.pid(), p.exitValue());
            }
        });
    }

    /** A free loopback port for a runner to bind (another process may take it first; rare). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UnavailableException("no free port for a runner: " + e.getMessage(), e);
        }
    }

    /**
     * Starts {@code command} and waits until it is ready.
     *
     * @throws UnavailableException naming the model and quoting the runner's last output lines when
     *     it exits, fails to load, or is not ready within {@code loadTimeout}
     */
    public static RunnerProcess start(String modelId, List<String> command, int port, Duration loadTimeout) {
        log.info("[{}] starting runner: {}", modelId, String.join(" ", command));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UnavailableException("model '" + modelId + "': cannot start " + command.getFirst() + ": "
                    + e.getMessage(), e);
        }
        RunnerProcess runner = new RunnerProcess(modelId, p, port);
        try {
            runner.awaitReady(loadTimeout);
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
        return runner;
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (http) {
            long end = System.nanoTime() + timeout.toNanos();
            HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            while (System.nanoTime() < end) {
                if (!process.isAlive()) {
                    throw failure("exited with code " + process.exitValue() + " while loading");
                }
                try {
                    HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        readyNanos = System.nanoTime();
                        log.info("[{}] runner ready on port {} after {} ms (pid {})", modelId, port,
                                (readyNanos - startedNanos) / 1_000_000, process.pid());
                        return;
                    }
                    if (r.statusCode() != 503) {
                        throw failure("answered " + r.statusCode() + " to /health: " + r.body());
                    }
                } catch (IOException notListeningYet) {
                    // the process is starting; try again shortly
                }
                Thread.sleep(25);
            }
            throw failure("was not ready within " + timeout.toSeconds() + "s (runner load_timeout)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("start was interrupted");
        }
    }

    private UnavailableException failure(String what) {
        String tail;
        synchronized (lastLines) {
            tail = String.join(" | ", lastLines);
        }
        return new UnavailableException("model '" + modelId + "' failed to load: the runner " + what
                + (tail.isEmpty() ? "" : "; its last output: " + tail));
    }

    private void pumpOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (perRequest(line)) {
                    log.debug("[{}] {}", modelId, line);
                } else {
                    log.info("[{}] {}", modelId, line);
                }
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /**
     * llama.cpp's server (ours through de.kherud:llama, and llama-server) writes about ten lines
     * for every request: the slot taking it, prompt progress, timings, "all slots are idle". At
     * INFO they would bury the server log, so they go to DEBUG; loading, warnings, errors and
     * anything not recognised stay at INFO.
     */
    static boolean perRequest(String line) {
        String s = line.stripLeading();
        boolean chatter = s.startsWith("slot ") || s.startsWith("srv  update_slots:")
                || s.startsWith("srv  log_server_r:") || s.startsWith("srv  params_from_:")
                || s.startsWith("prompt eval time =") || s.startsWith("eval time =") || s.startsWith("total time =");
        if (!chatter) {
            return false;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        return !lower.contains("error") && !lower.contains("fail") && !lower.contains("warn");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * True if the process has ended or ends within {@code grace}: right after a kill the OS may
     * not have reported the exit yet, while its port already refuses connections.
     */
    public boolean exitedWithin(Duration grace) {
        try {
            return process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Milliseconds from start to ready. */
    public long loadMillis() {
        return (readyNanos - startedNanos) / 1_000_000;
    }

    /** Resident memory of the process in bytes, from /proc on Linux; -1 where unknown. */
    public long residentBytes() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** SIGTERM, up to 5 s to exit, then SIGKILL. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                log.warn("[{}] runner did not stop within 5 s; killing it", modelId);
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        log.info("[{}] runner stopped (pid {})", modelId, process.pid());
    }
}
