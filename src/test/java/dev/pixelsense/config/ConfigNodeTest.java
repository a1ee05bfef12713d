package dev.pixelsense.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pixelsense.Pixelsense;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reader backends use for their own keys: typed reads with explicit defaults, errors at a line. */
class ConfigNodeTest {

    /** The settings node of the only model in this YAML (the model entry starts on line 2). */
    private static ConfigNode settingsOf(String modelKeys) {
        String yaml = "models:\n  - id: m\n    backend: openai\n    base_url: http://127.0.0.1:9/v1\n"
                + modelKeys.indent(4);
        return Pixelsense.loader(Map.<String, String>of()::get).parse("n.yaml", yaml).models().getFirst().settings();
    }

    @Test
    void should_give_the_defaults_for_every_read_of_an_empty_node() {
        // given
        ConfigNode empty = ConfigNode.empty();
        // then
        assertThat(empty.isMissing()).isTrue();
        assertThat(empty.has("x")).isFalse();
        assertThat(empty.string("x", "d")).isEqualTo("d");
        assertThat(empty.integer("x", 7, 0, 10)).isEqualTo(7);
        assertThat(empty.number("x", 0.5, 0, 1)).isEqualTo(0.5);
        assertThat(empty.optionalInteger("x", 0, 1)).isNull();
        assertThat(empty.bool("x", true)).isTrue();
        assertThat(empty.duration("x", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(empty.bytes("x", 99)).isEqualTo(99);
        assertThat(empty.list("x")).isEmpty();
        assertThat(empty.strings("x")).isEmpty();
        assertThat(empty.object("x").isMissing()).isTrue();
        empty.allowOnly(Set.of());
        assertThat(empty.where()).isEqualTo("<built-in defaults>");
        assertThat(empty.child("a").child("b").where()).isEqualTo("<built-in defaults>: a.b");
    }

    @Test
    void should_read_typed_values_and_know_their_paths() {
        // given
        ConfigNode m = settingsOf("""
                headers: {X-One: "1"}
                upstream_model: real
                timeouts: {idle: 2m}
                """);
        // then
        assertThat(m.path()).isEqualTo("models[0]");
        assertThat(m.string("upstream_model", null)).isEqualTo("real");
        assertThat(m.object("timeouts").duration("idle", null)).isEqualTo(Duration.ofMinutes(2));
        assertThat(m.object("timeouts").path()).isEqualTo("models[0].timeouts");
        assertThat(m.object("headers").string("X-One", null)).isEqualTo("1");
        assertThat(m.where()).isEqualTo("n.yaml:2: models[0]");
        assertThat(m.child("upstream_model").where()).isEqualTo("n.yaml:6: models[0].upstream_model");
        assertThat(m.object("timeouts").child("idle").where()).isEqualTo("n.yaml:7: models[0].timeouts.idle");
    }

    @Test
    void should_place_a_key_that_is_not_in_the_file_at_its_nearest_ancestor() {
        ConfigNode m = settingsOf("timeouts: {idle: 2m}\n");
        assertThat(m.object("timeouts").child("connect").where()).isEqualTo("n.yaml:5: models[0].timeouts.connect");
        assertThat(m.child("cooldown").error("boom"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("n.yaml:2: models[0].cooldown: boom");
    }

    @Test
    void should_take_a_single_value_as_a_list_of_one_and_name_each_element() throws Exception {
        // given
        ConfigNode n = node("""
                solo: one
                many:
                  - x
                  - y
                nested: {k: v}
                """);
        // then
        assertThat(n.strings("solo")).containsExactly("one");
        assertThat(n.list("solo")).singleElement().satisfies(e -> assertThat(e.path()).isEqualTo("solo"));
        assertThat(n.strings("many")).containsExactly("x", "y");
        assertThat(n.list("many")).extracting(ConfigNode::where)
                .containsExactly("n.yaml:3: many[0]", "n.yaml:4: many[1]");
        assertThatThrownBy(() -> n.list("nested")).hasMessage("n.yaml:5: nested: must be a list");
    }

    @Test
    void should_refuse_a_mapping_where_text_is_expected_and_text_where_a_mapping_is() throws Exception {
        ConfigNode n = node("a: {b: c}\nt: text\nl: [[1], 2]\n");
        assertThatThrownBy(() -> n.string("a", null)).hasMessage("n.yaml:1: a: must be a text value");
        assertThatThrownBy(() -> n.strings("l")).hasMessage("n.yaml:3: l[0]: must be a text value");
        assertThatThrownBy(() -> n.object("t")).hasMessage("n.yaml:2: t: must be a mapping of keys to values");
        assertThat(n.object("a").string("b", null)).isEqualTo("c");
    }

    @Test
    void should_read_booleans_written_as_text() throws Exception {
        ConfigNode n = node("on: \"true\"\noff: \"false\"\nyes: true\nbad: \"1\"\n");
        assertThat(n.bool("on", false)).isTrue();
        assertThat(n.bool("off", true)).isFalse();
        assertThat(n.bool("yes", false)).isTrue();
        assertThatThrownBy(() -> n.bool("bad", true)).hasMessage("n.yaml:4: bad: must be true or false, got '1'");
    }

    @Test
    void should_read_whole_numbers_written_as_numbers_or_text_and_check_the_range() throws Exception {
        ConfigNode n = node("a: 5\nb: \"6\"\nc: -7\nd: 5.5\ne: 1e3\nf: 99999999999\n");
        assertThat(n.integer("a", 0, 0, 10)).isEqualTo(5);
        assertThat(n.integer("b", 0, 0, 10)).isEqualTo(6);
        assertThat(n.integer("c", 0, -10, 10)).isEqualTo(-7);
        assertThatThrownBy(() -> n.integer("d", 0, 0, 10)).hasMessage("n.yaml:4: d: must be a whole number, got '5.5'");
        assertThatThrownBy(() -> n.integer("e", 0, 0, 10)).hasMessage("n.yaml:5: e: must be a whole number, got '1000.0'");
        assertThatThrownBy(() -> n.integer("f", 0, 0, Integer.MAX_VALUE))
                .hasMessage("n.yaml:6: f: must be between 0 and 2147483647, got 99999999999");
        assertThat(n.optionalInteger("a", 1, 5)).isEqualTo(5);
        assertThat(n.optionalInteger("zz", 1, 5)).isNull();
    }

    @Test
    void should_read_numbers_written_as_numbers_or_text() throws Exception {
        ConfigNode n = node("a: 0.5\nb: \"1.25\"\nc: 2\nd: half\n");
        assertThat(n.number("a", null, 0, 2)).isEqualTo(0.5);
        assertThat(n.number("b", null, 0, 2)).isEqualTo(1.25);
        assertThat(n.number("c", null, 0, 2)).isEqualTo(2.0);
        assertThatThrownBy(() -> n.number("d", null, 0, 2)).hasMessage("n.yaml:4: d: must be a number, got 'half'");
        assertThatThrownBy(() -> n.number("c", null, 0, 1)).hasMessage("n.yaml:3: c: must be between 0.0 and 1.0, got 2.0");
    }

    @Test
    void should_treat_an_explicit_null_as_absent() {
        ConfigNode m = settingsOf("upstream_model: null\ncooldown: ~\n");
        assertThat(m.has("upstream_model")).isFalse();
        assertThat(m.string("upstream_model", "fallback")).isEqualTo("fallback");
        assertThat(m.duration("cooldown", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void should_list_the_allowed_keys_when_refusing_one() throws Exception {
        ConfigNode n = node("colour: red\n");
        assertThatThrownBy(() -> n.allowOnly(Set.of("color")))
                .hasMessage("n.yaml:1: colour: unknown key (did you mean 'color'?); allowed here: color");
        assertThatThrownBy(() -> n.allowOnly(Set.of("size")))
                .hasMessage("n.yaml:1: colour: unknown key; allowed here: size");
        n.allowOnly(Set.of("colour", "size"));
    }

    /** A node over YAML text, with line numbers, as the loader builds it. */
    private static ConfigNode node(String yaml) throws Exception {
        ConfigSource source = ConfigSource.scan("n.yaml", yaml, new YAMLFactory());
        return new ConfigNode(new YAMLMapper().readTree(yaml), "", source);
    }
}
