package dev.pixelsense.screen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixelsense.error.BadRequestException;
import org.junit.jupiter.api.Test;

class KeyComboTest {
    @Test
    void should_parse_combos_into_canonical_names_in_press_order() {
        assertThat(KeyCombo.parse("ctrl+shift+t").keys()).containsExactly("ctrl", "shift", "t");
        assertThat(KeyCombo.parse(" Control + Shift + T ").keys()).containsExactly("ctrl", "shift", "t");
        assertThat(KeyCombo.parse("cmd+s").keys()).containsExactly("super", "s");
        assertThat(KeyCombo.parse("Return").keys()).containsExactly("enter");
        assertThat(KeyCombo.parse("ctrl++").keys()).containsExactly("ctrl", "+");
        assertThat(KeyCombo.parse("+").keys()).containsExactly("+");
        assertThat(KeyCombo.parse("alt+F4").keys()).containsExactly("alt", "f4");
        assertThat(KeyCombo.parse("XF86AudioMute").keys()).containsExactly("XF86AudioMute");
        assertThat(KeyCombo.parse("ctrl+é").toString()).isEqualTo("ctrl+é");
    }

    @Test
    void should_refuse_empty_combos_and_empty_keys() {
        assertThatThrownBy(() -> KeyCombo.parse(" ")).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("No key given");
        assertThatThrownBy(() -> KeyCombo.parse("ctrl+")).hasMessageContaining("write ctrl+plus");
        assertThatThrownBy(() -> KeyCombo.parse("ctrl+ +s")).hasMessageContaining("Empty key name");
    }
}
