package dev.pixelsense.runtime.gguf;

import java.util.List;

/**
 * A tensor as described in the file header; the data itself is never read.
 *
 * @param shape dimensions in GGUF order, innermost (contiguous) first: {@code [n_embd, n_vocab]}
 *     for an embedding table
 * @param type the ggml type id (0 F32, 1 F16, 8 Q8_0, 12 Q4_K, ...)
 * @param offset where the data starts, relative to the start of the file's data section
 * @param bytes size of the data, or -1 for a ggml type this reader does not know
 */
public record GgufTensor(String name, List<Long> shape, int type, long offset, long bytes) {
    public GgufTensor {
        shape = List.copyOf(shape);
    }

    public long elements() {
        return shape.stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact);
    }
}
