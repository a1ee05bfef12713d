package dev.pixelsense.runtime.gguf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a GGUF file says about its model, read by {@link GgufReader} without loading tensors.
 * Architecture-specific values live under {@code <architecture>.<key>} (e.g.
 * {@code llama.block_count}); the accessors resolve that prefix and return 0 for a value the file
 * does not carry (a vision projector has no context length, for instance).
 *
 * @param fileSize bytes of the whole file
 * @param alignment alignment of the tensor data ({@code general.alignment}, default 32)
 * @param dataOffset where the tensor data section starts
 * @param metadata every key-value pair in file order: Integer (uint8..int32), Long (uint32, 64-bit),
 *     Float, Double, Boolean, String or {@link GgufArray}
 */
public record GgufInfo(Path file, long fileSize, int version, long alignment, long dataOffset,
        Map<String, Object> metadata, List<GgufTensor> tensors) {
    /**
     * Memory a runner process needs beyond weights and KV cache: the process itself (a JVM for the
     * built-in runner, ~150 MiB; less for llama-server) and llama.cpp's compute buffers (activations
     * and logits for one batch: a few MiB for tiny models, a few hundred MiB for 7B-class models at
     * the default batch of 512). Deliberately generous: underestimating gets a runner OOM-killed.
     */
    public static final long DEFAULT_RUNNER_OVERHEAD = 512L << 20;

    /** Bytes per KV cache element: llama.cpp stores K and V as f16 by default. */
    public static final int KV_BYTES_PER_ELEMENT = 2;

    public GgufInfo {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** {@code general.architecture}, e.g. {@code llama}, {@code qwen2}, {@code clip}; empty string when missing. */
    public String architecture() {
        return metadata.get("general.architecture") instanceof String s ? s : "";
    }

    /** {@code general.name}, when the file has one. */
    public Optional<String> name() {
        return Optional.ofNullable(metadata.get("general.name") instanceof String s ? s : null);
    }

    /** The Jinja chat template stored in the file ({@code tokenizer.chat_template}), when there is one. */
    public Optional<String> chatTemplate() {
        return Optional.ofNullable(metadata.get("tokenizer.chat_template") instanceof String s ? s : null);
    }

    /** Number of transformer layers ({@code <arch>.block_count}). */
    public int blockCount() {
        return (int) number(architecture() + ".block_count");
    }

    /** Context length the model was trained for ({@code <arch>.context_length}). */
    public long contextLength() {
        return number(architecture() + ".context_length");
    }

    /** Width of the hidden state ({@code <arch>.embedding_length}). */
    public int embeddingLength() {
        return (int) number(architecture() + ".embedding_length");
    }

    /** Attention (query) heads ({@code <arch>.attention.head_count}); the largest if given per layer. */
    public int headCount() {
        return (int) max(metadata.get(architecture() + ".attention.head_count"));
    }

    /**
     * Key/value heads ({@code <arch>.attention.head_count_kv}); fewer than {@link #headCount()} with
     * grouped-query attention, equal to it when the file does not say (as llama.cpp assumes).
     */
    public int headCountKv() {
        Object kv = metadata.get(architecture() + ".attention.head_count_kv");
        return kv == null ? headCount() : (int) max(kv);
    }

    /** Bytes of the tensor data section: what gets mapped into memory as weights. */
    public long tensorDataSize() {
        return fileSize - dataOffset;
    }

    /** {@link #estimateMemory(long, long)} with {@link #DEFAULT_RUNNER_OVERHEAD}. */
    public MemoryEstimate estimateMemory(long contextLength) {
        return estimateMemory(contextLength, DEFAULT_RUNNER_OVERHEAD);
    }

    /**
     * Memory to run this model at {@code contextLength} tokens of context, all of it on one device:
     * <pre>
     * weights  = tensor data bytes (the file minus its header)
     * kv cache = 2 (K and V) * n_layer * n_ctx * n_embd_kv * 2 bytes (f16)
     *            n_embd_kv = head_count_kv * head_dim, head_dim = embedding_length / head_count
     *            (attention.key_length / value_length instead, when the file gives them)
     * total    = weights + kv cache + runnerOverhead
     * </pre>
     * Per-layer head counts (an array) are summed layer by layer. Parallel slots share the one KV
     * cache (llama.cpp splits the context between them), so they add nothing.
     */
    public MemoryEstimate estimateMemory(long contextLength, long runnerOverhead) {
        if (contextLength < 1 || runnerOverhead < 0) {
            throw new IllegalArgumentException("contextLength must be positive and runnerOverhead not negative, got "
                    + contextLength + " and " + runnerOverhead);
        }
        return new MemoryEstimate(tensorDataSize(), kvCacheBytes(contextLength), runnerOverhead);
    }

    private long kvCacheBytes(long contextLength) {
        int heads = headCount();
        if (heads == 0 || blockCount() == 0) {
            return 0; // not an attention model (a projector, an SSM): no KV cache to size
        }
        long headDim = embeddingLength() / heads;
        long keyLength = number(architecture() + ".attention.key_length");
        long valueLength = number(architecture() + ".attention.value_length");
        long perHeadPerToken = (keyLength > 0 ? keyLength : headDim) + (valueLength > 0 ? valueLength : headDim);
        long kvHeadsAllLayers = 0;
        Object kv = metadata.get(architecture() + ".attention.head_count_kv");
        for (int layer = 0; layer < blockCount(); layer++) {
            kvHeadsAllLayers += kv instanceof GgufArray a && layer < a.values().size()
                    ? ((Number) a.values().get(layer)).longValue()
                    : kv == null ? heads : max(kv);
        }
        return Math.multiplyExact(Math.multiplyExact(kvHeadsAllLayers * perHeadPerToken, contextLength),
                (long) KV_BYTES_PER_ELEMENT);
    }

    private long number(String key) {
        return metadata.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static long max(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof GgufArray a) {
            return a.values().stream().mapToLong(v -> ((Number) v).longValue()).max().orElse(0);
        }
        return 0;
    }

    /** Bytes of memory, by what they hold. */
    public record MemoryEstimate(long weights, long kvCache, long runnerOverhead) {
        public long total() {
            return weights + kvCache + runnerOverhead;
        }

        @Override
        public String toString() {
            return "%d MiB (weights %d MiB + KV cache %d MiB + runner %d MiB)".formatted(total() >> 20,
                    weights >> 20, kvCache >> 20, runnerOverhead >> 20);
        }
    }
}
