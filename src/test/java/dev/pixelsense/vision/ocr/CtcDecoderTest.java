package dev.pixelsense.vision.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CtcDecoderTest {
    // classes: 0 blank, 1 'a', 2 'b', 3 space (appended after the keys)
    final CtcDecoder decoder = new CtcDecoder(List.of("a", "b"));

    static float[] steps(int... winners) {
        float[] p = new float[winners.length * 4];
        for (int t = 0; t < winners.length; t++) {
            for (int c = 0; c < 4; c++) {
                p[t * 4 + c] = c == winners[t] ? 0.9f : 0.1f / 3;
            }
        }
        return p;
    }

    @Test
    void should_drop_blanks_and_repeats_but_keep_a_letter_repeated_across_a_blank() {
        float[] p = steps(1, 1, 0, 1, 2, 2, 3, 0, 2);

        List<CtcDecoder.Char> chars = decoder.decode(p, 0, 9);

        assertThat(chars).extracting(CtcDecoder.Char::text).containsExactly("a", "a", "b", " ", "b");
        assertThat(chars).extracting(CtcDecoder.Char::step).containsExactly(0, 3, 4, 6, 8);
        assertThat(decoder.classCount()).isEqualTo(4);
    }

    @Test
    void should_read_only_the_steps_asked_for_from_the_offset_given() {
        float[] p = steps(2, 2, 1, 1, 1, 2);

        assertThat(decoder.decode(p, 2 * 4, 2)).extracting(CtcDecoder.Char::text).containsExactly("a");
    }
}
