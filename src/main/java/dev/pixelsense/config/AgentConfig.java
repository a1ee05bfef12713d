package dev.pixelsense.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The {@code agent:} section: the screen agent's defaults and its safety rails.
 *
 * @param enabled        the HTTP API {@code /agent/runs} (off by default; when on, the server needs
 *                       {@code server.api_keys} and every agent request a key, loopback included).
 *                       The {@code pixelsense agent} command works without it: the local user runs it.
 * @param model          the model the agent asks (vision + tool calling); null = {@code vision.model}
 * @param monitor        the monitor id to look at and act on; null = all monitors as one image
 * @param maxSteps       model turns before the run stops (default 15)
 * @param maxDuration    wall-clock limit of a run (default 5 min)
 * @param screenshots    recent screenshots kept in the conversation; older turns become one-line
 *                       summaries (default 3)
 * @param maxEdge        longest side of the screenshot shown to the model (default 1280)
 * @param coordinates    {@code normalized} (0-1 of the screenshot shown, the default) or
 *                       {@code pixels} (pixels of the screenshot shown)
 * @param settleReaction after an action, how long to wait for the screen to start changing before
 *                       calling it "no visible change" (default 500 ms)
 * @param settleQuiet    once it changed, the screen counts as settled when nothing changed for
 *                       this long (default 50 ms: three frames at 60 Hz)
 * @param settleTimeout  the longest wait for a settled screen (default 3 s)
 * @param killCorner     stop the run when the pointer is moved into a monitor corner by someone
 *                       else (default true)
 * @param denyKeys       key combos never pressed (ctrl+alt+delete, ctrl+alt+backspace by default)
 * @param denyWindows    case-insensitive title fragments of windows never clicked or typed into
 * @param tracesDir      where run folders are written (default {@code ~/.pixelsense/agent-runs})
 */
public record AgentConfig(boolean enabled, String model, Integer monitor, int maxSteps, Duration maxDuration,
                          int screenshots, int maxEdge, String coordinates, Duration settleReaction,
                          Duration settleQuiet,
                          Duration settleTimeout, boolean killCorner, List<String> denyKeys,
                          List<String> denyWindows, Path tracesDir) {
    static final Set<String> KEYS = Set.of("enabled", "model", "monitor", "max_steps", "max_duration",
            "screenshots", "max_edge", "coordinates", "settle_reaction", "settle_quiet", "settle_timeout", "kill_corner",
            "deny_keys", "deny_windows", "traces_dir");
    public static final List<String> DEFAULT_DENY_KEYS = List.of("ctrl+alt+delete", "ctrl+alt+backspace");

    public AgentConfig {
        denyKeys = List.copyOf(denyKeys);
        denyWindows = List.copyOf(denyWindows);
    }

    public static AgentConfig defaults() {
        return new AgentConfig(false, null, null, 15, Duration.ofMinutes(5), 3, 1280, "normalized",
                Duration.ofMillis(500), Duration.ofMillis(50), Duration.ofSeconds(3), true, DEFAULT_DENY_KEYS, List.of(),
                defaultTracesDir());
    }

    public static Path defaultTracesDir() {
        return Path.of(System.getProperty("user.home"), ".pixelsense", "agent-runs");
    }

    /** Reads the {@code agent:} node (missing: the defaults), naming file, line and key on errors. */
    static AgentConfig read(ConfigNode a, List<ModelConfig> models) {
        a.allowOnly(KEYS);
        AgentConfig d = defaults();
        String model = a.string("model", null);
        if (model != null && models.stream().noneMatch(m -> m.id().equals(model) || m.aliases().contains(model))) {
            throw a.child("model").error("unknown model '" + model + "'");
        }
        String coordinates = a.string("coordinates", d.coordinates());
        if (!coordinates.equals("normalized") && !coordinates.equals("pixels")) {
            throw a.child("coordinates").error("must be 'normalized' (0-1 of the screenshot) or 'pixels' (of the "
                    + "screenshot shown), got '" + coordinates + "'");
        }
        Duration quiet = a.duration("settle_quiet", d.settleQuiet());
        Duration timeout = a.duration("settle_timeout", d.settleTimeout());
        if (quiet.isZero() || quiet.isNegative() || timeout.compareTo(quiet) < 0) {
            throw a.child("settle_timeout").error("settle_quiet must be positive and settle_timeout at least as long"
                    + " (got " + quiet.toMillis() + " ms and " + timeout.toMillis() + " ms)");
        }
        Duration reaction = a.duration("settle_reaction", d.settleReaction());
        if (reaction.isNegative() || reaction.compareTo(timeout) > 0) {
            throw a.child("settle_reaction").error("must be from 0 to settle_timeout (" + timeout.toMillis() + " ms)");
        }
        Duration maxDuration = a.duration("max_duration", d.maxDuration());
        if (maxDuration.isZero() || maxDuration.isNegative()) {
            throw a.child("max_duration").error("must be positive, e.g. 5m");
        }
        String dir = a.string("traces_dir", null);
        return new AgentConfig(a.bool("enabled", false), model, a.optionalInteger("monitor", 0, 63),
                a.integer("max_steps", d.maxSteps(), 1, 1000), maxDuration, a.integer("screenshots", 3, 1, 20),
                a.integer("max_edge", d.maxEdge(), 256, 8192), coordinates, reaction, quiet, timeout,
                a.bool("kill_corner", true), a.has("deny_keys") ? a.strings("deny_keys") : d.denyKeys(),
                a.strings("deny_windows"), dir == null ? d.tracesDir() : Path.of(dir.startsWith("~/")
                        ? System.getProperty("user.home") + dir.substring(1) : dir));
    }
}
