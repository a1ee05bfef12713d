package dev.pixelsense.runtime.gguf;

/**
 * Storage size of ggml tensor types: elements come in blocks of {@code blockSize} that take
 * {@code blockBytes} each (ggml's type traits; K-quants use blocks of 256). Ids 4, 5 and 31..33,
 * 36..38 were removed from ggml and are unknown here, as is anything newer than MXFP4 (39).
 */
final class GgmlTypes {
    // {id, block size, bytes per block}
    private static final int[][] TRAITS = {
        {0, 1, 4}, {1, 1, 2}, {2, 32, 18}, {3, 32, 20}, {6, 32, 22}, {7, 32, 24}, {8, 32, 34}, {9, 32, 36},
        {10, 256, 84}, {11, 256, 110}, {12, 256, 144}, {13, 256, 176}, {14, 256, 210}, {15, 256, 292},
        {16, 256, 66}, {17, 256, 74}, {18, 256, 98}, {19, 256, 50}, {20, 32, 18}, {21, 256, 110},
        {22, 256, 82}, {23, 256, 136}, {24, 1, 1}, {25, 1, 2}, {26, 1, 4}, {27, 1, 8}, {28, 1, 8},
        {29, 256, 56}, {30, 1, 2}, {34, 256, 54}, {35, 256, 66}, {39, 32, 17},
    };
    private static final int[][] BY_ID = new int[40][];

    static {
        for (int[] t : TRAITS) {
            BY_ID[t[0]] = t;
        }
    }

    private GgmlTypes() {
    }

    /** Bytes taken by {@code elements} elements of type {@code type}, or -1 if the type is unknown. */
    static long bytes(int type, long elements) {
        if (type < 0 || type >= BY_ID.length || BY_ID[type] == null) {
            return -1;
        }
        int[] t = BY_ID[type];
        return Math.ceilDiv(elements, t[1]) * t[2];
    }
}
