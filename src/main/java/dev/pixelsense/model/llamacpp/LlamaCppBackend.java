package dev.pixelsense.model.llamacpp;

import dev.pixelsense.config.ModelConfig;
import dev.pixelsense.error.UnavailableException;
import dev.pixelsense.error.UpstreamException;
import dev.pixelsense.model.CallContext;
import dev.pixelsense.model.ChatStream;
import dev.pixelsense.model.openai.OpenAiBackendFactory;
import dev.pixelsense.model.spi.BackendContext;
import dev.pixelsense.model.spi.ChatBackend;
import dev.pixelsense.openai.ChatCompletion;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.runtime.RunnerProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local GGUF model: one runner process, started on first use and spoken to over the OpenAI
 * protocol on a loopback port. A runner that died (crash, kill -9) is noticed on the next request
 * and started again; repeated crashes back off (1 s, 2 s, 4 s ... up to a minute) so a model that
 * cannot run does not fork-bomb the machine. Thread-safe.
 */
final class LlamaCppBackend implements ChatBackend {
    private static final Logger log = LoggerFactory.getLogger(LlamaCppBackend.class);
    static final int DEFAULT_CONTEXT = 4096;

    private final ModelConfig model;
    private final LlamaCppSettings settings;
    private final BackendContext context;
    private RunnerProcess runner;
    private Path natives;
    private ChatBackend client;
    private int crashes;
    private long lastCrashNanos;

    LlamaCppBackend(ModelConfig model, LlamaCppSettings settings, BackendContext context) {
        this.model = model;
        this.settings = settings;
        this.context = context;
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext call) {
        try {
            return client().stream(request, call);
        } catch (UpstreamException e) {
            if (runnerDied()) {
                return client().stream(request, call);
            }
            throw e;
        }
    }

    @Override
    public ChatCompletion complete(ChatRequest request, CallContext call) {
        try {
            return client().complete(request, call);
        } catch (UpstreamException e) {
            if (runnerDied()) {
                return client().complete(request, call);
            }
            throw e;
        }
    }

    /**
     * After a failed call: true if the runner is gone (killed, crashed), so one more try with a
     * fresh runner is worth it. Nothing reached the client yet when stream() itself failed.
     */
    private synchronized boolean runnerDied() {
        return runner != null && runner.exitedWithin(java.time.Duration.ofMillis(500));
    }

    @Override
    public void warmUp() {
        client();
    }

    private synchronized ChatBackend client() {
        if (runner != null && runner.alive()) {
            return client;
        }
        if (runner != null) {
            long sinceLast = System.nanoTime() - lastCrashNanos;
            crashes = sinceLast > 60_000_000_000L ? 1 : crashes + 1;
            lastCrashNanos = System.nanoTime();
            log.warn("[{}] the runner (pid {}) died; starting it again (crash {} in a row)", model.id(), runner.pid(),
                    crashes);
            stop();
        }
        if (crashes > 1) {
            long wait = Math.min(60, 1L << Math.min(crashes - 2, 6));
            long left = wait * 1_000_000_000L - (System.nanoTime() - lastCrashNanos);
            if (left > 0) {
                throw new UnavailableException("model '" + model.id() + "': its runner crashed " + crashes
                        + " times in a row; the next start is allowed in " + Math.max(1, left / 1_000_000_000L) + "s");
            }
        }
        start();
        return client;
    }

    private void start() {
        Path gguf = context.files().resolve(settings.model(), settings.autoPull());
        Path mmproj = settings.mmproj() == null ? null : context.files().resolve(settings.mmproj(), settings.autoPull());
        int port = RunnerProcess.freePort();
        int contextSize = model.defaults().contextSize() != null ? model.defaults().contextSize() : DEFAULT_CONTEXT;
        int parallel = model.maxConcurrency();
        List<String> command;
        if (settings.runner().equals("builtin")) {
            try {
                natives = java.nio.file.Files.createTempDirectory("pixelsense-runner-");
            } catch (java.io.IOException e) {
                throw new UnavailableException("model '" + model.id() + "': cannot create a temporary directory: "
                        + e.getMessage(), e);
            }
            command = RunnerCommands.builtIn(model.id(), gguf, port, contextSize, parallel, settings, natives,
                    gpuLayers(gguf));
        } else {
            command = RunnerCommands.llamaServer(gguf, mmproj, port, contextSize, parallel, settings, gpuLayers(gguf));
        }
        runner = RunnerProcess.start(model.id(), command, port, settings.loadTimeout());
        client = OpenAiBackendFactory.forRunner(model.id(), runner.baseUrl() + "/v1", context.timers());
    }

    /**
     * The layers to offload: as configured, or with {@code auto} as many as fit in the free memory
     * of the first GPU found (weights spread evenly over the layers, 10% kept spare). The built-in
     * runner's bundled llama.cpp is CPU-only, so auto means 0 there. Says which it is, once per load.
     */
    private int gpuLayers(Path gguf) {
        if (settings.gpuLayers() != LlamaCppSettings.AUTO_GPU_LAYERS) {
            log.info("[{}] offloading {} layers to the GPU, as configured", model.id(), settings.gpuLayers());
            return settings.gpuLayers();
        }
        var gpus = dev.pixelsense.runtime.SystemInfo.detect().gpus();
        if (gpus.isEmpty() || settings.runner().equals("builtin")) {
            log.info("[{}] runs on the CPU only ({})", model.id(), gpus.isEmpty() ? "no GPU found"
                    : "the built-in runner's llama.cpp is CPU-only; use runner: llama-server for the GPU");
            return 0;
        }
        var gpu = gpus.getFirst();
        try {
            var info = dev.pixelsense.runtime.gguf.GgufReader.read(gguf);
            long perLayer = Math.max(1, info.tensorDataSize() / Math.max(1, info.blockCount()));
            int layers = (int) Math.min(info.blockCount() + 1, (long) (gpu.memoryFree() * 0.9) / perLayer);
            log.info("[{}] offloading {} of {} layers to {} ({} free)", model.id(), layers, info.blockCount() + 1,
                    gpu.name(), dev.pixelsense.config.ByteSizes.formatApprox(gpu.memoryFree()));
            return layers;
        } catch (RuntimeException e) {
            log.info("[{}] cannot size GPU offload ({}); running on the CPU", model.id(), e.getMessage());
            return 0;
        }
    }

    @Override
    public synchronized boolean loadedLocally() {
        return runner != null && runner.alive();
    }

    @Override
    public synchronized Optional<LocalState> local() {
        if (runner == null || !runner.alive()) {
            return Optional.empty();
        }
        return Optional.of(new LocalState(settings.runner(), runner.pid(), runner.port(), runner.residentBytes(),
                runner.loadMillis()));
    }

    private void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (runner != null) {
            runner.close();
            runner = null;
        }
        if (natives != null) {
            deleteTree(natives);
            natives = null;
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            log.debug("cannot delete {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        stop();
    }
}
