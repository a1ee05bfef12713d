package dev.pixelsense.screen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixelsense.error.BadRequestException;
import org.junit.jupiter.api.Test;

class PointTest {
    @Test
    void should_map_a_fraction_to_the_pixel_that_contains_it() {
        assertThat(Point.pixel(0, 1920, 0.0)).isZero();
        assertThat(Point.pixel(0, 1920, 0.5)).isEqualTo(960);
        assertThat(Point.pixel(0, 1920, (7 + 0.5) / 1920)).isEqualTo(7);
        assertThat(Point.pixel(0, 1920, 7.0 / 1920)).isEqualTo(7);
        assertThat(Point.pixel(1920, 1280, 1.0)).isEqualTo(1920 + 1279);
        assertThatThrownBy(() -> Point.onMonitor(0, -0.01, 0.5)).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> Point.at(Double.NaN, 1)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void should_print_points_the_way_messages_need_them() {
        assertThat(Point.at(3, 4.5)).hasToString("3,4.5");
        assertThat(Point.onMonitor(1, 0.5, 1)).hasToString("0.5,1 of monitor 1");
    }
}
