package dev.pixelsense.model;

/** A result and the id of the model that produced it (the requested one or a fallback). */
public record Served<T>(String servedBy, T value) {
}
