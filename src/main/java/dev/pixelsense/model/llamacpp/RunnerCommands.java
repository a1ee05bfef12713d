package dev.pixelsense.model.llamacpp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for the two kinds of runner. The built-in one is this same program
 * ({@code pixelsense runner}) in a JVM of its own, on this JVM's class path; llama-server gets the
 * flags its documentation names ({@code -m}, {@code --mmproj}, {@code -c}, {@code -ngl},
 * {@code -np}, {@code -t}, {@code --host}, {@code --port}).
 */
final class RunnerCommands {
    private RunnerCommands() {
    }

    /**
     * @param natives a directory of this runner's own for de.kherud:llama's native library, which
     *     it otherwise extracts to one shared /tmp path that concurrent starts would overwrite
     */
    static List<String> builtIn(String modelId, Path gguf, int port, int contextSize, int parallel,
                                LlamaCppSettings s, Path natives, int gpuLayers) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-Dde.kherud.llama.tmpdir=" + natives,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.pixelsense.cli.Main", "runner", "--name", modelId, "--model", gguf.toString(),
                "--port", Integer.toString(port), "--ctx-size", Integer.toString(contextSize),
                "--parallel", Integer.toString(parallel), "--gpu-layers", Integer.toString(gpuLayers),
                "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        if (s.threads() > 0) {
            cmd.addAll(List.of("--threads", Integer.toString(s.threads())));
        }
        return cmd;
    }

    static List<String> llamaServer(Path gguf, Path mmproj, int port, int contextSize, int parallel,
                                    LlamaCppSettings s, int gpuLayers) {
        List<String> cmd = new ArrayList<>(List.of(s.llamaServer(), "-m", gguf.toString()));
        if (mmproj != null) {
            cmd.addAll(List.of("--mmproj", mmproj.toString()));
        }
        cmd.addAll(List.of("-c", Integer.toString(contextSize * parallel), "-np", Integer.toString(parallel),
                "-ngl", Integer.toString(gpuLayers), "--host", "127.0.0.1", "--port", Integer.toString(port)));
        if (s.threads() > 0) {
            cmd.addAll(List.of("-t", Integer.toString(s.threads())));
        }
        return cmd;
    }
}
