package dev.pixelsense.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.pixelsense.Pixelsense;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file: defaults, YAML and JSON, and errors that point at file, line and key. */
class ConfigLoaderTest {
    private static final Map<String, String> NO_ENV = Map.of();

    private static PixelsenseConfig parse(String text) {
        return parse(text, NO_ENV);
    }

    private static PixelsenseConfig parse(String text, Map<String, String> env) {
        return Pixelsense.loader(env::get).parse("test.yaml", text);
    }

    private static String errorOf(String text) {
        return errorOf(text, NO_ENV);
    }

    private static String errorOf(String text, Map<String, String> env) {
        try {
            parse(text, env);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException for:\n" + text);
    }

    private static void assertDefaults(ServerConfig server) {
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.port()).isEqualTo(8080);
        assertThat(server.maxBodyBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(server.maxImagePixels()).isEqualTo(40_000_000L);
        assertThat(server.apiKeys()).isEmpty();
        assertThat(server.allowedHosts()).isEmpty();
        assertThat(server.corsOrigins()).isEmpty();
        assertThat(server.remoteImages().enabled()).isFalse();
        assertThat(server.remoteImages().allowPrivate()).isFalse();
    }

    // --- defaults ---------------------------------------------------------------------------

    @Test
    void should_give_built_in_defaults_for_empty_text() {
        // given an empty file
        // when
        PixelsenseConfig config = parse("");
        // then
        assertDefaults(config.server());
        assertThat(config.models()).isEmpty();
        assertThat(config.source()).isEqualTo("test.yaml");
    }

    @Test
    void should_give_built_in_defaults_for_a_file_with_only_comments_or_an_empty_document() {
        assertDefaults(parse("# nothing configured yet\n").server());
        assertDefaults(parse("---\n").server());
        assertDefaults(Pixelsense.loader(NO_ENV::get).parse("c.json", "{}").server());
    }

    @Test
    void should_give_built_in_defaults_when_no_file_is_named_and_the_default_file_is_missing() {
        // given no ~/.pixelsense/config.yaml on this machine
        assumeFalse(Files.exists(ConfigLoader.DEFAULT_PATH), "a real default config exists here");
        // when
        PixelsenseConfig config = Pixelsense.loader(NO_ENV::get).load(null);
        // then
        assertDefaults(config.server());
        assertThat(config.models()).isEmpty();
        assertThat(config.source()).isEqualTo("<built-in defaults>");
    }

    @Test
    void should_name_a_missing_explicit_file(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> Pixelsense.loader(NO_ENV::get).loadFile(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": config file not found");
        assertThatThrownBy(() -> Pixelsense.loader(NO_ENV::get).load(missing))
                .hasMessage(missing + ": config file not found");
    }

    @Test
    void should_read_a_file_and_report_errors_with_its_path(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                server:
                  port: 9090
                  max_body_size: 0
                """);
        // when / then
        assertThatThrownBy(() -> Pixelsense.loader(NO_ENV::get).loadFile(file))
                .hasMessage(file + ":3: server.max_body_size: must be at least 1KB");
    }

    // --- YAML and JSON ----------------------------------------------------------------------

    @Test
    void should_read_every_key_from_yaml() {
        // given
        String yaml = """
                server:
                  host: 0.0.0.0
                  port: 9090
                  api_keys: [0123456789abcdef0123, "  "]
                  allowed_hosts: [pixelsense.lan]
                  cors_origins: http://localhost:3000
                  max_body_size: 8MiB
                  max_image_pixels: 1000000
                  remote_images: {enabled: true, allow_private: true, max_size: 1MB, timeout: 500ms}
                models:
                  - id: gpt-vision
                    backend: openai
                    base_url: http://127.0.0.1:9/v1/
                    aliases: [default, gv]
                    fallbacks: [local]
                    keep_alive: 10m
                    max_concurrency: 2
                    queue_size: 0
                    defaults: {temperature: 0.5, max_tokens: 100, context_size: 4096}
                    capabilities: {vision: true, tools: false}
                  - id: local
                    backend: openai
                    preset: ollama
                """;
        // when
        PixelsenseConfig config = parse(yaml);
        // then
        ServerConfig s = config.server();
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(9090);
        assertThat(s.apiKeys()).containsExactly("0123456789abcdef0123");
        assertThat(s.allowedHosts()).containsExactly("pixelsense.lan");
        assertThat(s.corsOrigins()).containsExactly("http://localhost:3000");
        assertThat(s.maxBodyBytes()).isEqualTo(8L << 20);
        assertThat(s.maxImagePixels()).isEqualTo(1_000_000L);
        assertThat(s.remoteImages()).isEqualTo(
                new ServerConfig.RemoteImages(true, true, 1L << 20, Duration.ofMillis(500)));
        assertThat(config.models()).extracting(ModelConfig::id).containsExactly("gpt-vision", "local");
        ModelConfig m = config.models().getFirst();
        assertThat(m.backend()).isEqualTo("openai");
        assertThat(m.aliases()).containsExactly("default", "gv");
        assertThat(m.fallbacks()).containsExactly("local");
        assertThat(m.keepAlive()).isEqualTo(Duration.ofMinutes(10));
        assertThat(m.maxConcurrency()).isEqualTo(2);
        assertThat(m.queueSize()).isZero();
        assertThat(m.defaults()).isEqualTo(new ModelConfig.Defaults(0.5, 100, 4096));
        assertThat(m.capabilities()).isEqualTo(new ModelConfig.Capabilities(true, false));
        assertThat(m.settings().string("base_url", null)).isEqualTo("http://127.0.0.1:9/v1/");
        ModelConfig local = config.models().get(1);
        assertThat(local.keepAlive()).isEqualTo(ModelConfig.DEFAULT_KEEP_ALIVE);
        assertThat(local.maxConcurrency()).isEqualTo(ModelConfig.DEFAULT_MAX_CONCURRENCY);
        assertThat(local.queueSize()).isEqualTo(ModelConfig.DEFAULT_QUEUE_SIZE);
        assertThat(local.defaults()).isEqualTo(ModelConfig.Defaults.NONE);
        assertThat(local.capabilities()).isEqualTo(ModelConfig.Capabilities.ALL);
        assertThat(config.model("local")).contains(local);
        assertThat(config.model("default")).isEmpty();
    }

    @Test
    void should_read_json_when_the_name_ends_in_json() {
        // given
        String json = """
                {
                  "server": {"port": 9191, "max_body_size": "2MB"},
                  "models": [
                    {"id": "m1", "backend": "openai", "base_url": "http://127.0.0.1:9/v1", "aliases": ["a"]}
                  ]
                }
                """;
        // when
        PixelsenseConfig config = Pixelsense.loader(NO_ENV::get).parse("config.json", json);
        // then
        assertThat(config.server().port()).isEqualTo(9191);
        assertThat(config.server().maxBodyBytes()).isEqualTo(2L << 20);
        assertThat(config.models()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("m1");
            assertThat(m.aliases()).containsExactly("a");
        });
    }

    @Test
    void should_report_json_errors_at_their_line() {
        // given a JSON file with a bad value on line 4
        String json = """
                {
                  "models": [
                    {"id": "m1", "backend": "openai", "base_url": "http://127.0.0.1:9/v1",
                     "max_concurrency": 0}
                  ]
                }
                """;
        // when / then
        assertThatThrownBy(() -> Pixelsense.loader(NO_ENV::get).parse("config.json", json))
                .hasMessage("config.json:4: models[0].max_concurrency: must be between 1 and 1024, got 0");
    }

    @Test
    void should_report_malformed_json_with_a_line_number() {
        String json = "{\n  \"server\": {\n    \"port\": 80,,\n  }\n}\n";
        assertThatThrownBy(() -> Pixelsense.loader(NO_ENV::get).parse("config.json", json))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.json:3: not valid JSON: Unexpected character (',' (code 44)): "
                        + "was expecting double-quote to start field name");
    }

    @Test
    void should_report_malformed_yaml_with_a_line_number_in_one_line() {
        // given a tab-free but badly indented mapping on line 3
        String yaml = """
                server:
                  port: 80
                 host: x
                """;
        // when
        String message = errorOf(yaml);
        // then
        assertThat(message).isEqualTo("test.yaml:3: not valid YAML: expected <block end>, "
                + "but found '<block mapping start>' (while parsing a block mapping)");
    }

    @Test
    void should_report_an_unclosed_flow_list_with_a_line_number() {
        String yaml = """
                server:
                  api_keys: [abc
                models: []
                """;
        assertThat(errorOf(yaml)).isEqualTo(
                "test.yaml:3: not valid YAML: expected ',' or ']', but got : (while parsing a flow sequence)");
    }

    // --- validation messages with exact lines ------------------------------------------------

    @Test
    void should_name_file_line_and_key_of_a_bad_number_in_the_second_model() {
        String yaml = """
                models:
                  - id: a
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                  - id: b
                    backend: openai
                    max_concurrency: 0
                    base_url: http://127.0.0.1:9/v1
                """;
        assertThat(errorOf(yaml))
                .isEqualTo("test.yaml:7: models[1].max_concurrency: must be between 1 and 1024, got 0");
    }

    @Test
    void should_name_the_line_of_a_nested_key() {
        String yaml = """
                models:
                  - id: a
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                    timeouts:
                      connect: 5s
                      first_token: 0s
                """;
        assertThat(errorOf(yaml)).isEqualTo("test.yaml:7: models[0].timeouts.first_token: must be positive");
    }

    @Test
    void should_name_the_line_of_a_bad_duration() {
        String yaml = """
                models:
                  - id: a
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                    timeouts: {idle: soon}
                """;
        assertThat(errorOf(yaml)).isEqualTo(
                "test.yaml:5: models[0].timeouts.idle: 'soon' is not a duration; use e.g. 500ms, 30s, 5m, 1h");
    }

    @Test
    void should_name_the_line_of_an_unknown_key_and_suggest_the_closest() {
        String yaml = """
                server:
                  port: 8081
                models:
                  - id: a
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                    max_concurency: 2
                """;
        assertThat(errorOf(yaml))
                .startsWith("test.yaml:7: models[0].max_concurency: unknown key (did you mean 'max_concurrency'?); "
                        + "allowed here: ")
                .contains("base_url", "keep_alive", "timeouts");
    }

    @Test
    void should_suggest_the_closest_server_and_top_level_keys() {
        assertThat(errorOf("server:\n  hots: 0.0.0.0\n"))
                .startsWith("test.yaml:2: server.hots: unknown key (did you mean 'host'?); allowed here: ");
        assertThat(errorOf("server:\n  port: 1\nmodel:\n  - id: a\n"))
                .startsWith("test.yaml:3: model: unknown key (did you mean 'models'?); allowed here: ");
        assertThat(errorOf("server:\n  remote_images:\n    enable: true\n"))
                .startsWith("test.yaml:3: server.remote_images.enable: unknown key (did you mean 'enabled'?)");
    }

    @Test
    void should_not_suggest_anything_for_a_key_that_resembles_nothing() {
        assertThat(errorOf("server:\n  frobnicate: 1\n"))
                .startsWith("test.yaml:2: server.frobnicate: unknown key; allowed here: ");
    }

    @Test
    void should_name_the_line_of_a_list_element() {
        String yaml = """
                server:
                  api_keys:
                    - 0123456789abcdef0123
                    - short
                """;
        assertThat(errorOf(yaml))
                .isEqualTo("test.yaml:4: server.api_keys[1]: API keys must be at least 16 characters long");
    }

    @Test
    void should_name_the_line_of_a_model_that_is_not_a_mapping() {
        String yaml = """
                models:
                  - id: a
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                  - just-a-name
                """;
        assertThat(errorOf(yaml)).isEqualTo(
                "test.yaml:5: models[1]: each model must be a mapping with at least 'id' and 'backend'");
    }

    @Test
    void should_name_the_line_of_a_bad_value_in_a_deployment() {
        String yaml = """
                models:
                  - id: a
                    backend: openai
                    deployments:
                      - base_url: http://127.0.0.1:9/v1
                      - base_url: http://127.0.0.1:10/v1
                        api_kee: x
                """;
        assertThat(errorOf(yaml)).startsWith(
                "test.yaml:7: models[0].deployments[1].api_kee: unknown key (did you mean 'api_key'?)");
    }

    @Test
    void should_require_id_and_backend() {
        assertThat(errorOf("models:\n  - backend: openai\n"))
                .isEqualTo("test.yaml:2: models[0]: 'id' is required");
        assertThat(errorOf("models:\n  - id: a\n"))
                .isEqualTo("test.yaml:2: models[0]: 'backend' is required (e.g. backend: openai)");
        assertThat(errorOf("models:\n  - id: a b\n    backend: openai\n")).isEqualTo(
                "test.yaml:2: models[0].id: 'a b' is not a usable model id (letters, digits and . _ : / @ -)");
    }

    @Test
    void should_refuse_values_of_the_wrong_type() {
        assertThat(errorOf("server:\n  port: eighty\n"))
                .isEqualTo("test.yaml:2: server.port: must be a whole number, got 'eighty'");
        assertThat(errorOf("server:\n  port: 70000\n"))
                .isEqualTo("test.yaml:2: server.port: must be between 0 and 65535, got 70000");
        assertThat(errorOf("server:\n  port: 99999999999\n"))
                .isEqualTo("test.yaml:2: server.port: must be between 0 and 65535, got 99999999999");
        assertThat(errorOf("models:\n  - id: a\n    backend: openai\n    base_url: http://h/v1\n"
                + "    defaults: {temperature: .nan}\n"))
                .isEqualTo("test.yaml:5: not valid YAML: Malformed numeric value '.nan'");
        assertThat(errorOf("models:\n  - id: a\n    backend: openai\n    base_url: http://h/v1\n"
                + "    defaults: {temperature: warm}\n"))
                .isEqualTo("test.yaml:5: models[0].defaults.temperature: must be a number, got 'warm'");
        assertThat(errorOf("server:\n  port: 80.5\n"))
                .isEqualTo("test.yaml:2: server.port: must be a whole number, got '80.5'");
        assertThat(errorOf("server:\n  remote_images:\n    enabled: yes please\n"))
                .isEqualTo("test.yaml:3: server.remote_images.enabled: must be true or false, got 'yes please'");
        assertThat(errorOf("server: 8080\n"))
                .isEqualTo("test.yaml:1: server: must be a mapping of keys to values");
        assertThat(errorOf("models:\n  id: a\n"))
                .isEqualTo("test.yaml:1: models: must be a list");
        assertThat(errorOf("server:\n  max_body_size: lots\n"))
                .isEqualTo("test.yaml:2: server.max_body_size: 'lots' is not a size; use e.g. 512KB, 32MB, 2GB");
        assertThat(errorOf("- a\n- b\n"))
                .isEqualTo("test.yaml: the config must be a mapping with 'server' and 'models'");
    }

    @Test
    void should_check_model_defaults() {
        String yaml = """
                models:
                  - id: a
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                    defaults:
                      temperature: 3
                """;
        assertThat(errorOf(yaml))
                .isEqualTo("test.yaml:6: models[0].defaults.temperature: must be between 0.0 and 2.0, got 3.0");
        assertThat(errorOf(yaml.replace("temperature: 3", "max_tokens: 0")))
                .isEqualTo("test.yaml:6: models[0].defaults.max_tokens: must be between 1 and 2147483647, got 0");
        assertThat(errorOf(yaml.replace("temperature: 3", "top_k: 3")))
                .startsWith("test.yaml:6: models[0].defaults.top_k: unknown key");
    }

    // --- environment substitution -------------------------------------------------------------

    @Test
    void should_substitute_environment_variables_and_defaults() {
        // given
        String yaml = """
                server:
                  host: ${BIND:-127.0.0.1}
                  api_keys: ["${KEY}"]
                models:
                  - id: m
                    backend: openai
                    base_url: http://${UP_HOST}:${UP_PORT:-8000}/v1
                    api_key: pre-${KEY}-post
                """;
        Map<String, String> env = Map.of("KEY", "0123456789abcdef$1\\x", "UP_HOST", "10.0.0.5");
        // when
        PixelsenseConfig config = parse(yaml, env);
        // then
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().apiKeys()).containsExactly("0123456789abcdef$1\\x");
        ConfigNode settings = config.models().getFirst().settings();
        assertThat(settings.string("base_url", null)).isEqualTo("http://10.0.0.5:8000/v1");
        assertThat(settings.string("api_key", null)).isEqualTo("pre-0123456789abcdef$1\\x-post");
    }

    @Test
    void should_use_the_default_when_the_variable_is_empty() {
        assertThat(parse("server:\n  host: ${BIND:-0.0.0.0}\n  api_keys: [0123456789abcdef]\n",
                Map.of("BIND", "")).server().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void should_substitute_numbers_and_booleans() {
        // given values that are numbers once substituted
        String yaml = """
                server:
                  port: ${PORT:-8123}
                  max_image_pixels: ${PIXELS:-2000000}
                  remote_images:
                    enabled: ${REMOTE:-true}
                models:
                  - id: m
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                    max_concurrency: ${CONC}
                    defaults: {temperature: "${TEMP:-0.25}"}
                """;
        // when
        PixelsenseConfig config = parse(yaml, Map.of("CONC", "3"));
        // then
        assertThat(config.server().port()).isEqualTo(8123);
        assertThat(config.server().maxImagePixels()).isEqualTo(2_000_000L);
        assertThat(config.server().remoteImages().enabled()).isTrue();
        assertThat(config.models().getFirst().maxConcurrency()).isEqualTo(3);
        assertThat(config.models().getFirst().defaults().temperature()).isEqualTo(0.25);
    }

    @Test
    void should_accept_quoted_numbers() {
        assertThat(parse("server:\n  port: \"8081\"\n").server().port()).isEqualTo(8081);
    }

    @Test
    void should_still_check_a_substituted_number() {
        assertThat(errorOf("server:\n  port: ${PORT}\n", Map.of("PORT", "99999")))
                .isEqualTo("test.yaml:2: server.port: must be between 0 and 65535, got 99999");
        assertThat(errorOf("server:\n  port: ${PORT}\n", Map.of("PORT", "http")))
                .isEqualTo("test.yaml:2: server.port: must be a whole number, got 'http'");
    }

    @Test
    void should_name_file_line_and_key_of_a_missing_variable() {
        String yaml = """
                server:
                  port: 8080
                models:
                  - id: m
                    backend: openai
                    base_url: ${UPSTREAM_URL}
                """;
        assertThat(errorOf(yaml)).isEqualTo("test.yaml:6: models[0].base_url: environment variable UPSTREAM_URL "
                + "is not set (write ${UPSTREAM_URL:-default} to give a default)");
    }

    @Test
    void should_name_the_list_element_of_a_missing_variable() {
        String yaml = """
                server:
                  api_keys:
                    - 0123456789abcdef
                    - ${SECOND_KEY}
                """;
        assertThat(errorOf(yaml)).startsWith(
                "test.yaml:4: server.api_keys[1]: environment variable SECOND_KEY is not set");
    }

    // --- models: names, fallbacks, backends ----------------------------------------------------

    private static final String TWO_MODELS = """
            models:
              - id: a
                backend: openai
                base_url: http://127.0.0.1:9/v1
                aliases: [shared]
              - id: b
                backend: openai
                base_url: http://127.0.0.1:9/v1
                aliases: [other, %s]
                fallbacks: [%s]
            """;

    @Test
    void should_refuse_a_duplicate_model_id() {
        String yaml = """
                models:
                  - id: a
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                  - id: a
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                """;
        assertThat(errorOf(yaml)).isEqualTo(
                "test.yaml:5: models[1].id: model name or alias 'a' is already used by test.yaml:2: models[0]");
    }

    @Test
    void should_refuse_an_alias_used_twice_and_point_at_the_alias() {
        assertThat(errorOf(TWO_MODELS.formatted("shared", "a"))).isEqualTo(
                "test.yaml:9: models[1].aliases[1]: model name or alias 'shared' is already used by "
                        + "test.yaml:2: models[0]");
        assertThat(errorOf(TWO_MODELS.formatted("a", "a"))).isEqualTo(
                "test.yaml:9: models[1].aliases[1]: model name or alias 'a' is already used by "
                        + "test.yaml:2: models[0]");
    }

    @Test
    void should_accept_fallbacks_by_id_or_alias() {
        PixelsenseConfig config = parse(TWO_MODELS.formatted("b2", "shared"));
        assertThat(config.models().get(1).fallbacks()).containsExactly("shared");
    }

    @Test
    void should_refuse_a_fallback_to_an_unknown_model() {
        assertThat(errorOf(TWO_MODELS.formatted("b2", "gpt-9")))
                .startsWith("test.yaml:10: models[1].fallbacks[0]: unknown model 'gpt-9'; models: ")
                .contains("a", "shared", "b", "other", "b2");
    }

    @Test
    void should_refuse_a_model_as_its_own_fallback_even_by_alias() {
        assertThat(errorOf(TWO_MODELS.formatted("b2", "b")))
                .isEqualTo("test.yaml:10: models[1].fallbacks[0]: a model cannot be its own fallback");
        assertThat(errorOf(TWO_MODELS.formatted("b2", "b2")))
                .isEqualTo("test.yaml:10: models[1].fallbacks[0]: a model cannot be its own fallback");
    }

    @Test
    void should_refuse_a_fallback_listed_twice() {
        assertThat(errorOf(TWO_MODELS.formatted("b2", "a, shared, a")))
                .isEqualTo("test.yaml:10: models[1].fallbacks[2]: 'a' is listed twice");
    }

    @Test
    void should_refuse_an_unknown_backend_and_list_the_known_ones() {
        String yaml = """
                models:
                  - id: a
                    backend: vllm
                """;
        assertThat(errorOf(yaml)).isEqualTo(
                "test.yaml:3: models[0].backend: unknown backend 'vllm'; known: openai, llamacpp");
    }

    @Test
    void should_refuse_an_unknown_preset_and_list_the_known_ones() {
        String yaml = """
                models:
                  - id: a
                    backend: openai
                    preset: anthropic
                """;
        assertThat(errorOf(yaml)).isEqualTo("test.yaml:4: models[0].preset: unknown preset 'anthropic'; known: "
                + "openai, gemini, vllm, ollama, lmstudio, llama-server, pixelsense");
    }

    @Test
    void should_require_a_base_url_or_a_preset() {
        assertThat(errorOf("models:\n  - id: a\n    backend: openai\n")).startsWith(
                "test.yaml:2: models[0]: 'base_url' is required (or a 'preset': openai, gemini,");
    }

    @Test
    void should_refuse_a_base_url_that_is_not_http() {
        String yaml = """
                models:
                  - id: a
                    backend: openai
                    base_url: %s
                """;
        for (String bad : new String[] {"ftp://example.com/v1", "localhost:8000/v1", "http://", "'http://a b/v1'"}) {
            assertThat(errorOf(yaml.formatted(bad))).as(bad)
                    .startsWith("test.yaml:4: models[0].base_url: '")
                    .endsWith("' is not an http(s) URL like http://127.0.0.1:8000/v1");
        }
    }

    @Test
    void should_refuse_an_api_key_env_naming_an_unset_variable() {
        String yaml = """
                models:
                  - id: a
                    backend: openai
                    preset: openai
                    api_key_env: MY_OPENAI_KEY
                """;
        assertThat(errorOf(yaml))
                .isEqualTo("test.yaml:5: models[0].api_key_env: environment variable MY_OPENAI_KEY is not set");
        assertThat(parse(yaml, Map.of("MY_OPENAI_KEY", "sk-test")).models()).hasSize(1);
    }

    @Test
    void should_refuse_a_header_that_is_not_text() {
        String yaml = """
                models:
                  - id: a
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                    headers:
                      X-Team: vision
                      Authorization: [Bearer, x]
                """;
        assertThat(errorOf(yaml)).isEqualTo("test.yaml:7: models[0].headers.Authorization: must be a text value");
        assertThat(parse(yaml.replace("[Bearer, x]", "Bearer x")).models()).hasSize(1);
    }

    @Test
    void should_read_keep_alive_forever_never_and_a_duration() {
        String yaml = """
                models:
                  - id: a
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                    keep_alive: %s
                """;
        assertThat(parse(yaml.formatted("-1")).models().getFirst().keepAlive()).isNegative();
        assertThat(parse(yaml.formatted("\"-1\"")).models().getFirst().keepAlive()).isNegative();
        assertThat(parse(yaml.formatted("0")).models().getFirst().keepAlive()).isZero();
        assertThat(parse(yaml.formatted("5m")).models().getFirst().keepAlive()).isEqualTo(Duration.ofMinutes(5));
        assertThat(errorOf(yaml.formatted("forever"))).isEqualTo(
                "test.yaml:5: models[0].keep_alive: 'forever' is not a duration; use e.g. 500ms, 30s, 5m, 1h");
    }

    @Test
    void should_refuse_short_api_keys_but_ignore_blank_ones() {
        assertThat(errorOf("server:\n  api_keys: [0123456789abcde]\n"))
                .isEqualTo("test.yaml:2: server.api_keys[0]: API keys must be at least 16 characters long");
        assertThat(parse("server:\n  api_keys: [0123456789abcdef, '']\n").server().apiKeys())
                .containsExactly("0123456789abcdef");
    }
}
