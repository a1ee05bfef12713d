package dev.pixelsense.model.llamacpp;

import dev.pixelsense.config.ConfigNode;
import dev.pixelsense.config.ModelConfig;
import dev.pixelsense.model.spi.BackendContext;
import dev.pixelsense.model.spi.BackendFactory;
import dev.pixelsense.model.spi.ChatBackend;
import dev.pixelsense.model.spi.MemoryEstimate;
import java.util.Set;
import java.util.function.Function;

/** {@code backend: llamacpp}: a GGUF model in its own runner process (built-in or llama-server). */
public final class LlamaCppBackendFactory implements BackendFactory {

    @Override
    public String name() {
        return "llamacpp";
    }

    @Override
    public boolean local() {
        return true;
    }

    @Override
    public Set<String> settingKeys() {
        return LlamaCppSettings.KEYS;
    }

    @Override
    public void validate(ConfigNode model, Function<String, String> env) {
        LlamaCppSettings.read(model);
    }

    /**
     * Weights and KV cache from the GGUF header ({@code GgufReader}), plus the projector file and
     * the runner's own footprint. The context is the model's {@code context_size} times its
     * parallel slots, as the runner is started with. Null when the file is not on disk yet.
     */
    @Override
    public MemoryEstimate memoryEstimate(ModelConfig model, BackendContext context) {
        LlamaCppSettings s = LlamaCppSettings.read(model.settings());
        java.nio.file.Path file;
        try {
            file = context.files().resolve(s.model(), false);
        } catch (dev.pixelsense.error.PixelsenseException notThereYet) {
            return null;
        }
        long mmproj = 0;
        if (s.mmproj() != null) {
            try {
                mmproj = java.nio.file.Files.size(context.files().resolve(s.mmproj(), false));
            } catch (java.io.IOException | dev.pixelsense.error.PixelsenseException e) {
                mmproj = 0;
            }
        }
        int contextSize = model.defaults().contextSize() != null ? model.defaults().contextSize()
                : LlamaCppBackend.DEFAULT_CONTEXT;
        long overhead = s.runner().equals("builtin") ? BUILTIN_RUNNER_OVERHEAD : LLAMA_SERVER_OVERHEAD;
        var e = dev.pixelsense.runtime.gguf.GgufReader.read(file)
                .estimateMemory((long) contextSize * model.maxConcurrency(), overhead);
        return new MemoryEstimate(e.weights() + mmproj, e.kvCache(), e.runnerOverhead());
    }

    /** A runner JVM: a 256 MB heap cap plus code, metaspace and llama.cpp's compute buffers (an estimate). */
    static final long BUILTIN_RUNNER_OVERHEAD = 384L << 20;
    /** llama-server's own buffers besides weights and KV cache (an estimate). */
    static final long LLAMA_SERVER_OVERHEAD = 128L << 20;

    @Override
    public ChatBackend create(ModelConfig model, BackendContext context) {
        return new LlamaCppBackend(model, LlamaCppSettings.read(model.settings()), context);
    }
}
