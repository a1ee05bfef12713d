package dev.pixelsense.config;

/**
 * The {@code vision:} section: the default vision model for {@code /vision/describe} and
 * {@code screen://} images, how images are sized for it, and who may capture the screen.
 *
 * @param model the model id (or alias) describe requests use when they name none; null = none
 * @param maxEdge longest side of an image sent to the model (default 1280)
 * @param maxPixels pixel budget of an image sent to the model (0 = only maxEdge)
 * @param patchMultiple sides rounded down to a multiple of this (28 for Qwen2.5-VL; 1 = any)
 * @param remoteScreen let non-loopback clients capture the screen (off: loopback only)
 */
public record VisionConfig(String model, int maxEdge, long maxPixels, int patchMultiple, boolean remoteScreen) {
    public static final VisionConfig DEFAULT = new VisionConfig(null, 1280, 0, 1, false);
}
