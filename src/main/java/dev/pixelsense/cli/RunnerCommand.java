package dev.pixelsense.cli;

import dev.pixelsense.runtime.llama.RunnerServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pixelsense runner}: the built-in model runner, one process per loaded GGUF model,
 * started and supervised by the server. Not meant to be run by hand, but it can be (it speaks the
 * OpenAI chat protocol on 127.0.0.1).
 */
@Command(name = "runner", hidden = true, mixinStandardHelpOptions = true,
        description = "Run one GGUF text model with llama.cpp on 127.0.0.1 (started by the server).")
final class RunnerCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "GGUF file.")
    Path model;

    @Option(names = "--name", description = "Model name reported in answers.")
    String name;

    @Option(names = "--port", required = true)
    int port;

    @Option(names = "--ctx-size", defaultValue = "4096")
    int contextSize;

    @Option(names = "--threads", defaultValue = "0", description = "0: llama.cpp's default.")
    int threads;

    @Option(names = "--parallel", defaultValue = "1")
    int parallel;

    @Option(names = "--gpu-layers", defaultValue = "0")
    int gpuLayers;

    @Option(names = "--parent-pid", description = "Exit when this process ends (the server that started the runner).")
    Long parentPid;

    @Override
    public Integer call() throws InterruptedException {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("model file not found: " + model);
        }
        if (parentPid != null) {
            exitWithParent(parentPid);
        }
        new RunnerServer(name == null ? model.getFileName().toString() : name, port)
                .run(model, contextSize, threads, parallel, gpuLayers);
        return 0;
    }

    /**
     * A server that is killed (SIGKILL, a crash) cannot stop its runners, which would keep their
     * memory and port for good; so each runner follows its server out.
     */
    private static void exitWithParent(long pid) {
        ProcessHandle.of(pid).map(ProcessHandle::onExit)
                .orElse(java.util.concurrent.CompletableFuture.completedFuture(null))
                .thenRun(() -> {
                    System.err.println("pixelsense runner: the server (pid " + pid + ") is gone; exiting");
                    Runtime.getRuntime().halt(0);
                });
    }
}
