package dev.pixelsense.screen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameDiffTest {
    private static Frame blank(int w, int h) {
        return new Frame(w, h, new int[w * h], new Rect(0, 0, w, h));
    }

    private static Frame withRect(Frame base, Rect r, int rgb) {
        int[] px = base.pixels().clone();
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                px[y * base.width() + x] = rgb;
            }
        }
        return new Frame(base.width(), base.height(), px, base.bounds());
    }

    @Test
    void should_find_each_drawn_rectangle_exactly() {
        Frame before = blank(640, 480);
        Rect dialog = new Rect(101, 57, 203, 119);
        Rect caret = new Rect(600, 400, 1, 17);
        Frame after = withRect(withRect(before, dialog, 0x336699), caret, 0xFFFFFF);

        FrameDiff diff = FrameDiff.between(before, after);

        assertThat(diff.boxes()).containsExactly(dialog, caret);
        assertThat(diff.changedFraction()).isEqualTo((203.0 * 119 + 17) / (640 * 480));
    }

    @Test
    void should_ignore_the_unused_top_byte_and_report_no_change() {
        Frame before = blank(64, 64);
        Frame after = new Frame(64, 64, new int[64 * 64], before.bounds());
        after.pixels()[5] = 0xFF000000;
        FrameDiff diff = FrameDiff.between(before, after);
        assertThat(diff.changed()).isFalse();
        assertThat(diff.changedFraction()).isZero();
    }

    @Test
    void should_refuse_frames_of_different_sizes() {
        assertThatThrownBy(() -> FrameDiff.between(blank(10, 10), blank(10, 11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10x10 and 10x11");
    }
}
