package dev.pixelsense.bench;

import java.util.Arrays;

/**
 * Latency percentiles of one series, in nanoseconds. Exact (from every sample, sorted), not from a
 * histogram: a full run has at most tens of thousands of samples per series.
 */
record LatencyStats(int count, long p50, long p90, long p99, long max) {

    static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0);

    static LatencyStats of(long[] samples, int count) {
        if (count == 0) {
            return EMPTY;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return new LatencyStats(count, rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99), sorted[count - 1]);
    }

    /** Nearest-rank percentile: the smallest sample with at least {@code q} of all samples at or below it. */
    private static long rank(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
    }
}
