package dev.pixelsense.model.llamacpp;

import dev.pixelsense.config.ConfigNode;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code backend: llamacpp} keys of a model entry.
 *
 * <pre>
 * - id: qwen-vl
 *   backend: llamacpp
 *   model: /models/Qwen2.5-VL-3B-Instruct-Q4_K_M.gguf   # a path, hf://..., a URL or a catalog name
 *   mmproj: /models/mmproj-Qwen2.5-VL-3B-Instruct-Q8_0.gguf   # makes it a vision model
 *   runner: llama-server        # builtin (default without mmproj) or llama-server
 *   llama_server: /opt/llama/llama-server   # default: llama-server on PATH
 *   threads: 0                  # 0: llama.cpp's default
 *   gpu_layers: auto            # or a number; auto = as many as fit in a detected GPU's free memory
 *   load_timeout: 120s
 *   auto_pull: true             # pull store references on first use
 * </pre>
 *
 * @param runner {@code builtin} (llama.cpp in a pixelsense runner JVM, text only) or
 *     {@code llama-server} (llama.cpp's own server binary; needed for mmproj vision models)
 */
record LlamaCppSettings(String model, String mmproj, String runner, String llamaServer, int threads, int gpuLayers,
                        Duration loadTimeout, boolean autoPull) {

    static final Set<String> KEYS = Set.of("model", "mmproj", "runner", "llama_server", "threads", "gpu_layers",
            "load_timeout", "auto_pull");

    /** Layers to offload: a number, or {@link #AUTO_GPU_LAYERS} for "as many as fit". */
    static final int AUTO_GPU_LAYERS = -1;

    private static int gpuLayers(ConfigNode m) {
        if (!m.has("gpu_layers") || m.child("gpu_layers").asString().equals("auto")) {
            return AUTO_GPU_LAYERS;
        }
        return m.integer("gpu_layers", 0, 0, 10_000);
    }

    static LlamaCppSettings read(ConfigNode m) {
        String model = m.string("model", null);
        if (model == null || model.isBlank()) {
            throw m.error("'model' is required: a GGUF path, hf://owner/repo/file.gguf or a catalog name");
        }
        String mmproj = m.string("mmproj", null);
        String runner = m.string("runner", mmproj != null ? "llama-server" : "builtin");
        if (!runner.equals("builtin") && !runner.equals("llama-server")) {
            throw m.child("runner").error("must be builtin or llama-server, got '" + runner + "'");
        }
        if (runner.equals("builtin") && mmproj != null) {
            throw m.child("runner").error("the built-in runner reads text only; a model with an mmproj needs "
                    + "runner: llama-server");
        }
        Duration loadTimeout = m.duration("load_timeout", Duration.ofSeconds(120));
        if (loadTimeout.isNegative() || loadTimeout.isZero()) {
            throw m.child("load_timeout").error("must be positive");
        }
        return new LlamaCppSettings(model, mmproj, runner, m.string("llama_server", "llama-server"),
                m.integer("threads", 0, 0, 1024), gpuLayers(m), loadTimeout,
                m.bool("auto_pull", false));
    }
}
