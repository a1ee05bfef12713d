package dev.pixelsense.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A position in a parsed config file: a value, its dotted path ({@code models[0].backend}) and a
 * way to report problems at its line. Readers take defaults explicitly, so every default is
 * visible where the key is read. Backends read their own settings through the same class.
 */
public final class ConfigNode {
    private final JsonNode value;
    private final String path;
    private final ConfigSource source;

    ConfigNode(JsonNode value, String path, ConfigSource source) {
        this.value = value == null ? MissingNode.getInstance() : value;
        this.path = path;
        this.source = source;
    }

    /** An empty node, for building configs in code. */
    public static ConfigNode empty() {
        return new ConfigNode(MissingNode.getInstance(), "", ConfigSource.NONE);
    }

    public boolean isMissing() {
        return value.isMissingNode() || value.isNull();
    }

    public boolean has(String key) {
        return value.has(key) && !value.get(key).isNull();
    }

    public String path() {
        return path;
    }

    public JsonNode raw() {
        return value;
    }

    /** The sub-object at {@code key} (a missing node if absent); an error if it is not an object. */
    public ConfigNode object(String key) {
        ConfigNode child = child(key);
        if (!child.isMissing() && !child.value.isObject()) {
            throw child.error("must be a mapping of keys to values");
        }
        return child;
    }

    public ConfigNode child(String key) {
        return new ConfigNode(value.get(key), join(key), source);
    }

    /** The elements of the list at {@code key}; a single scalar is taken as a list of one. */
    public List<ConfigNode> list(String key) {
        ConfigNode child = child(key);
        List<ConfigNode> out = new ArrayList<>();
        if (child.isMissing()) {
            return out;
        }
        if (!child.value.isArray()) {
            if (child.value.isValueNode()) {
                out.add(child);
                return out;
            }
            throw child.error("must be a list");
        }
        for (int i = 0; i < child.value.size(); i++) {
            out.add(new ConfigNode(child.value.get(i), child.path + "[" + i + "]", source));
        }
        return out;
    }

    public List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        for (ConfigNode n : list(key)) {
            out.add(n.asString());
        }
        return out;
    }

    public String string(String key, String fallback) {
        ConfigNode child = child(key);
        return child.isMissing() ? fallback : child.asString();
    }

    public String asString() {
        if (!value.isValueNode()) {
            throw error("must be a text value");
        }
        return value.asText();
    }

    public int integer(String key, int fallback, int min, int max) {
        ConfigNode child = child(key);
        if (child.isMissing()) {
            return fallback;
        }
        // Text counts too: ${VAR} substitution always leaves text, and "8080" is what a user means.
        String text = child.value.asText().trim();
        if (!(child.value.isIntegralNumber() || child.value.isTextual()) || !text.matches("-?\\d{1,18}")) {
            throw child.error("must be a whole number, got '" + child.value.asText() + "'");
        }
        long v = Long.parseLong(text);
        if (v < min || v > max) {
            throw child.error("must be between " + min + " and " + max + ", got " + v);
        }
        return (int) v;
    }

    public Double number(String key, Double fallback, double min, double max) {
        ConfigNode child = child(key);
        if (child.isMissing()) {
            return fallback;
        }
        String text = child.value.asText().trim();
        boolean numeric = child.value.isNumber()
                || child.value.isTextual() && text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
        if (!numeric) {
            throw child.error("must be a number, got '" + child.value.asText() + "'");
        }
        double v = child.value.isNumber() ? child.value.asDouble() : Double.parseDouble(text);
        if (v < min || v > max) {
            throw child.error("must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    public Integer optionalInteger(String key, int min, int max) {
        return has(key) ? integer(key, 0, min, max) : null;
    }

    public boolean bool(String key, boolean fallback) {
        ConfigNode child = child(key);
        if (child.isMissing()) {
            return fallback;
        }
        if (child.value.isBoolean()) {
            return child.value.asBoolean();
        }
        String text = child.value.asText();
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw child.error("must be true or false, got '" + text + "'");
    }

    public Duration duration(String key, Duration fallback) {
        return parsed(key, fallback, Durations::parse);
    }

    public long bytes(String key, long fallback) {
        return parsed(key, fallback, ByteSizes::parse);
    }

    private <T> T parsed(String key, T fallback, Function<String, T> parser) {
        ConfigNode child = child(key);
        if (child.isMissing()) {
            return fallback;
        }
        try {
            return parser.apply(child.asString());
        } catch (IllegalArgumentException e) {
            throw child.error(e.getMessage());
        }
    }

    /** Fails on any key not in {@code allowed}, suggesting the closest allowed key. */
    public void allowOnly(Set<String> allowed) {
        if (!value.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!allowed.contains(key)) {
                String hint = closest(key, allowed);
                throw child(key).error("unknown key" + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                        + "; allowed here: " + String.join(", ", new LinkedHashSet<>(allowed)));
            }
        }
    }

    /** An exception that names this node's file, line and path. */
    public ConfigException error(String message) {
        return new ConfigException(where() + ": " + message);
    }

    /** {@code file:line: path}, as much of it as is known. */
    public String where() {
        return source.describe(path);
    }

    private String join(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String closest(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : allowed) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
