package dev.pixelsense.runtime.gguf;

import java.util.List;

/**
 * An array metadata value. Arrays longer than {@link GgufReader#MAX_KEPT_ARRAY} elements (the
 * vocabulary, merges, scores) are skipped, not read: {@code values} is then empty and
 * {@code length} still tells their size.
 *
 * @param elementType GGUF type name of the elements: {@code uint32}, {@code float32}, {@code string}, ...
 */
public record GgufArray(String elementType, long length, List<Object> values) {
    public GgufArray {
        values = List.copyOf(values);
    }

    /** Whether the values were kept; false for arrays that were skipped for their size. */
    public boolean complete() {
        return values.size() == length;
    }
}
