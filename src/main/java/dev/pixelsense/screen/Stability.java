package dev.pixelsense.screen;

import java.time.Duration;

/**
 * How a {@link Screen#waitUntilStable} ended.
 *
 * @param stable   true when nothing changed for the quiet period, false when the timeout came first
 * @param elapsed  from the call to the return
 * @param captures how many frames were taken
 * @param frame    the last frame taken (the caller owns it: a screenshot of the settled screen)
 */
public record Stability(boolean stable, Duration elapsed, int captures, Frame frame) {}
