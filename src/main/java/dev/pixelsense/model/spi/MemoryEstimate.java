package dev.pixelsense.model.spi;

import dev.pixelsense.config.ByteSizes;

/**
 * What a local model will take in memory once loaded: its weights, the KV cache at the configured
 * context and parallel slots, and the runner process's own overhead.
 */
public record MemoryEstimate(long weights, long kvCache, long overhead) {

    public long total() {
        return weights + kvCache + overhead;
    }

    /** {@code 2.1 GB (weights 1.8 GB + KV cache 256 MB + runner 64 MB)}. */
    public String describe() {
        return ByteSizes.formatApprox(total()) + " (weights " + ByteSizes.formatApprox(weights) + " + KV cache "
                + ByteSizes.formatApprox(kvCache) + " + runner " + ByteSizes.formatApprox(overhead) + ")";
    }
}
