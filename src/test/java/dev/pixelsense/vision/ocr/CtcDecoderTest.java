package dev.pixelsense.vision.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CtcDecoderTest {
    // classes: 0 blank, 1 'a', 2 'b', 3 space (appended after the keys)
    final CtcDecoder decoder = new CtcDecoder(List.of("a", "b"));

    static long[] steps(int... winners) {
        long[] best = new long[winners.length];
        for (int t = 0; t < winners.length; t++) {
            best[t] = winners[t];
        }
        return best;
    }

    static float[] probabilities(int count) {
        float[] p = new float[count];
        for (int t = 0; t < count; t++) {
            p[t] = 0.5f + t / 100f;
        }
        return p;
    }

    @Test
    void should_drop_blanks_and_repeats_but_keep_a_letter_repeated_across_a_blank() {
        long[] best = steps(1, 1, 0, 1, 2, 2, 3, 0, 2);

        List<CtcDecoder.Char> chars = decoder.decode(best, probabilities(9), 0, 9);

        assertThat(chars).extracting(CtcDecoder.Char::text).containsExactly("a", "a", "b", " ", "b");
        assertThat(chars).extracting(CtcDecoder.Char::step).containsExactly(0, 3, 4, 6, 8);
        assertThat(chars).extracting(CtcDecoder.Char::probability).containsExactly(0.5f, 0.53f, 0.54f, 0.56f, 0.58f);
        assertThat(decoder.classCount()).isEqualTo(4);
    }

    @Test
    void should_read_only_the_steps_asked_for_from_the_offset_given() {
        long[] best = steps(2, 2, 1, 1, 1, 2);

        assertThat(decoder.decode(best, probabilities(6), 2, 2)).extracting(CtcDecoder.Char::text).containsExactly("a");
    }

    @Test
    void should_refuse_a_class_the_character_list_does_not_have() {
        assertThatThrownBy(() -> decoder.decode(steps(1, 7), probabilities(2), 0, 2))
                .hasMessageContaining("class 7").hasMessageContaining("do not belong together");
    }
}
