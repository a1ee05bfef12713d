package dev.pixelsense.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the config file (YAML, or JSON by extension), substitutes {@code ${ENV_VAR}} and
 * {@code ${ENV_VAR:-default}} in values, and validates everything up front with errors that name
 * the file, line and key. Backend-specific model keys are checked by the backend's
 * {@link SettingsValidator}, handed in by the caller.
 */
public final class ConfigLoader {
    /** Used when no {@code --config} is given; a missing default file means built-in defaults. */
    public static final Path DEFAULT_PATH = Path.of(System.getProperty("user.home"), ".pixelsense", "config.yaml");

    static final Set<String> TOP_KEYS = Set.of("server", "models", "store", "vision", "agent", "jobs");
    static final Set<String> VISION_KEYS = Set.of("model", "max_edge", "max_pixels", "patch_multiple", "remote_screen");
    static final Set<String> STORE_KEYS = Set.of("dir", "catalog");
    static final Set<String> SERVER_KEYS = Set.of("host", "port", "api_keys", "allowed_hosts", "cors_origins",
            "max_body_size", "max_image_pixels", "remote_images", "memory_budget");
    static final Set<String> REMOTE_IMAGE_KEYS = Set.of("enabled", "allow_private", "max_size", "timeout");
    public static final Set<String> MODEL_KEYS = Set.of("id", "backend", "aliases", "fallbacks", "keep_alive", "preload",
            "max_concurrency", "queue_size", "defaults", "capabilities");
    static final Set<String> DEFAULTS_KEYS = Set.of("temperature", "max_tokens", "context_size");
    static final Set<String> CAPABILITY_KEYS = Set.of("vision", "tools");
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    /** Checks a backend's own keys of a model entry; the backend registry implements it. */
    public interface SettingsValidator {
        /** @throws ConfigException naming the key when a setting is unknown or wrong */
        void validate(String backend, ConfigNode model);
    }

    private final Function<String, String> env;
    private final SettingsValidator backends;

    public ConfigLoader(Function<String, String> env, SettingsValidator backends) {
        this.env = env;
        this.backends = backends;
    }

    /** Loads {@code explicit}, or the default file if it exists, or built-in defaults. */
    public PixelsenseConfig load(Path explicit) {
        if (explicit == null) {
            return Files.isRegularFile(DEFAULT_PATH) ? loadFile(DEFAULT_PATH) : parse("<built-in defaults>", "{}");
        }
        return loadFile(explicit);
    }

    public PixelsenseConfig loadFile(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(path + ": config file not found");
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read config file: " + e.getMessage());
        }
        return parse(path.toString(), text);
    }

    /** Parses config text; {@code name} is used in error messages and decides JSON vs YAML. */
    public PixelsenseConfig parse(String name, String text) {
        boolean json = name.endsWith(".json");
        ObjectMapper mapper = json ? JsonMapper.builder().build() : new YAMLMapper();
        JsonFactory factory = json ? new JsonFactory() : new YAMLFactory();
        JsonNode root;
        ConfigSource source;
        try {
            source = ConfigSource.scan(name, text, factory);
            root = text.isBlank() ? mapper.createObjectNode() : mapper.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ConfigException(name + (loc == null ? "" : ":" + loc.getLineNr()) + ": not valid "
                    + (json ? "JSON" : "YAML") + ": " + syntaxProblem(e));
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot parse: " + e.getMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            root = mapper.createObjectNode();
        }
        ConfigNode top = new ConfigNode(root, "", source);
        if (!root.isObject()) {
            throw top.error("the config must be a mapping with 'server' and 'models'");
        }
        substitute(root, "", source);
        top.allowOnly(TOP_KEYS);
        ServerConfig server = server(top.object("server"));
        List<ModelConfig> models = models(top);
        ConfigNode st = top.object("store");
        st.allowOnly(STORE_KEYS);
        String dir = st.string("dir", null);
        StoreConfig store = new StoreConfig(dir == null ? StoreConfig.defaultDir(env) : Path.of(dir),
                CatalogEntry.read(st.list("catalog")));
        ConfigNode v = top.object("vision");
        v.allowOnly(VISION_KEYS);
        VisionConfig vision = new VisionConfig(v.string("model", null), v.integer("max_edge", 1280, 64, 16384),
                (long) v.number("max_pixels", 0.0, 0, 1e9).doubleValue(), v.integer("patch_multiple", 1, 1, 256),
                v.bool("remote_screen", false));
        if (vision.model() != null && models.stream().noneMatch(m -> m.id().equals(vision.model())
                || m.aliases().contains(vision.model()))) {
            throw v.child("model").error("unknown model '" + vision.model() + "'");
        }
        AgentConfig agent = AgentConfig.read(top.object("agent"), models);
        ConfigNode j = top.object("jobs");
        JobsConfig jobs = JobsConfig.read(j);
        for (ConfigNode m : j.list("models")) {
            if (models.stream().noneMatch(c -> c.id().equals(m.asString()) || c.aliases().contains(m.asString()))) {
                throw m.error("unknown model '" + m.asString() + "': a worker serves models of its own config");
            }
        }
        return new PixelsenseConfig(name, server, models, store, vision, agent, jobs);
    }

    /** Reads a catalog file ({@code catalog:} with a list of entries), such as the built-in one. */
    public List<CatalogEntry> parseCatalog(String name, String text) {
        try {
            ConfigSource source = ConfigSource.scan(name, text, new YAMLFactory());
            JsonNode root = new YAMLMapper().readTree(text);
            ConfigNode top = new ConfigNode(root, "", source);
            top.allowOnly(Set.of("catalog"));
            return CatalogEntry.read(top.list("catalog"));
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot parse the catalog: " + e.getMessage());
        }
    }

    private ServerConfig server(ConfigNode n) {
        n.allowOnly(SERVER_KEYS);
        ServerConfig d = ServerConfig.defaults();
        ConfigNode ri = n.object("remote_images");
        ri.allowOnly(REMOTE_IMAGE_KEYS);
        var remote = new ServerConfig.RemoteImages(ri.bool("enabled", false), ri.bool("allow_private", false),
                ri.bytes("max_size", d.remoteImages().maxBytes()), ri.duration("timeout", d.remoteImages().timeout()));
        List<String> keys = n.strings("api_keys").stream().filter(k -> !k.isBlank()).toList();
        for (ConfigNode key : n.list("api_keys")) {
            if (!key.asString().isBlank() && key.asString().length() < 16) {
                throw key.error("API keys must be at least 16 characters long");
            }
        }
        long maxBody = n.bytes("max_body_size", d.maxBodyBytes());
        if (maxBody < 1024) {
            throw n.child("max_body_size").error("must be at least 1KB");
        }
        return new ServerConfig(
                n.string("host", d.host()),
                n.integer("port", d.port(), 0, 65535),
                keys,
                n.strings("allowed_hosts"),
                n.strings("cors_origins"),
                maxBody,
                (long) n.number("max_image_pixels", (double) d.maxImagePixels(), 1, 1e10).doubleValue(),
                remote,
                memoryBudget(n));
    }

    private static ServerConfig.MemoryBudget memoryBudget(ConfigNode n) {
        if (!n.has("memory_budget")) {
            return ServerConfig.MemoryBudget.DEFAULT;
        }
        String text = n.child("memory_budget").asString().strip();
        if (text.endsWith("%")) {
            try {
                double percent = Double.parseDouble(text.substring(0, text.length() - 1));
                if (percent > 0 && percent <= 100) {
                    return new ServerConfig.MemoryBudget(percent / 100, 0);
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw n.child("memory_budget").error("a percentage must be between 0% and 100%, got '" + text + "'");
        }
        long bytes = n.bytes("memory_budget", 0);
        if (bytes < 64L << 20) {
            throw n.child("memory_budget").error("must be a percentage (80%) or a size of at least 64MB, got '" + text + "'");
        }
        return new ServerConfig.MemoryBudget(0, bytes);
    }

    private List<ModelConfig> models(ConfigNode top) {
        List<ModelConfig> out = new ArrayList<>();
        Map<String, ConfigNode> names = new HashMap<>();
        List<ConfigNode> entries = top.list("models");
        for (ConfigNode m : entries) {
            if (!m.raw().isObject()) {
                throw m.error("each model must be a mapping with at least 'id' and 'backend'");
            }
            ModelConfig model = model(m);
            // Report at the id or alias itself: the model entry's own line may be far above it.
            List<ConfigNode> nameNodes = new ArrayList<>();
            nameNodes.add(m.child("id"));
            nameNodes.addAll(m.list("aliases"));
            for (ConfigNode nameNode : nameNodes) {
                String name = nameNode.asString();
                ConfigNode previous = names.putIfAbsent(name, m);
                if (previous != null) {
                    throw nameNode.error("model name or alias '" + name + "' is already used by " + previous.where());
                }
            }
            out.add(model);
        }
        for (int i = 0; i < out.size(); i++) {
            List<ConfigNode> fallbacks = entries.get(i).list("fallbacks");
            Set<String> seen = new HashSet<>();
            for (ConfigNode f : fallbacks) {
                String name = f.asString();
                if (!names.containsKey(name)) {
                    throw f.error("unknown model '" + name + "'; models: " + String.join(", ", names.keySet()));
                }
                if (names.get(name) == entries.get(i)) {
                    throw f.error("a model cannot be its own fallback");
                }
                if (!seen.add(name)) {
                    throw f.error("'" + name + "' is listed twice");
                }
            }
        }
        return out;
    }

    private ModelConfig model(ConfigNode m) {
        String id = m.string("id", null);
        if (id == null || id.isBlank()) {
            throw m.error("'id' is required");
        }
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}")) {
            throw m.child("id").error("'" + id + "' is not a usable model id (letters, digits and . _ : / @ -)");
        }
        String backend = m.string("backend", null);
        if (backend == null) {
            throw m.error("'backend' is required (e.g. backend: openai)");
        }
        backends.validate(backend, m);
        Duration keepAlive = m.has("keep_alive") && m.child("keep_alive").raw().asText().equals("-1")
                ? Duration.ofSeconds(-1)
                : m.duration("keep_alive", ModelConfig.DEFAULT_KEEP_ALIVE);
        ConfigNode d = m.object("defaults");
        d.allowOnly(DEFAULTS_KEYS);
        ConfigNode c = m.object("capabilities");
        c.allowOnly(CAPABILITY_KEYS);
        return new ModelConfig(id, backend, m.strings("aliases"), m.strings("fallbacks"), keepAlive,
                m.integer("max_concurrency", ModelConfig.DEFAULT_MAX_CONCURRENCY, 1, 1024),
                m.integer("queue_size", ModelConfig.DEFAULT_QUEUE_SIZE, 0, 100_000),
                new ModelConfig.Defaults(d.number("temperature", null, 0, 2),
                        d.optionalInteger("max_tokens", 1, Integer.MAX_VALUE),
                        d.optionalInteger("context_size", 1, Integer.MAX_VALUE)),
                new ModelConfig.Capabilities(c.bool("vision", true), c.bool("tools", true)),
                m.bool("preload", false), m);
    }

    private void substitute(JsonNode node, String path, ConfigSource source) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String childPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (e.getValue().isTextual()) {
                    e.setValue(TextNode.valueOf(expand(e.getValue().asText(), childPath, source)));
                } else {
                    substitute(e.getValue(), childPath, source);
                }
            }
        } else if (node.isArray()) {
            var array = (com.fasterxml.jackson.databind.node.ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                String childPath = path + "[" + i + "]";
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(expand(array.get(i).asText(), childPath, source)));
                } else {
                    substitute(array.get(i), childPath, source);
                }
            }
        }
    }

    private String expand(String value, String path, ConfigSource source) {
        if (value.indexOf("${") < 0) {
            return value;
        }
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null || v.isEmpty()) {
                v = m.group(2);
            }
            if (v == null) {
                throw new ConfigException(source.describe(path) + ": environment variable " + m.group(1)
                        + " is not set (write ${" + m.group(1) + ":-default} to give a default)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * One line for a syntax error: SnakeYAML's own message spans several lines (a snippet with a
     * caret), which would break the CLI's one-line errors; the line number is reported separately.
     */
    private static String syntaxProblem(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException y && y.getProblem() != null) {
                return y.getContext() == null ? y.getProblem() : y.getProblem() + " (" + y.getContext() + ")";
            }
        }
        String message = String.valueOf(e.getOriginalMessage()).strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline).strip();
    }
}
