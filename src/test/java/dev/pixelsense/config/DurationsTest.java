package dev.pixelsense.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, 500",
        "30s, 30000",
        "5m, 300000",
        "1h, 3600000",
        "2d, 172800000",
        "45, 45000",
        "1.5s, 1500",
        "0.5m, 30000",
        "' 10 s ', 10000",
        "0, 0",
        "-1, -1000",
        "-2m, -120000"
    })
    void should_parse_every_unit_and_bare_seconds(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "5 minutes", "5M", "1w", "ms", "1.s", "--1s", "1e3s"})
    void should_refuse_what_is_not_a_duration_and_say_how_to_write_one(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a duration; use e.g. 500ms, 30s, 5m, 1h");
    }

    @ParameterizedTest
    @CsvSource({
        "7200000, 2h",
        "5400000, 90m",
        "300000, 5m",
        "30000, 30s",
        "0, 0s",
        "1500, 1500ms",
        "-1000, -1s"
    })
    void should_format_the_way_a_user_would_write_it(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"250ms", "30s", "5m", "90m", "3h"})
    void should_read_back_what_it_formats(String text) {
        Duration d = Durations.parse(text);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        assertThat(Durations.format(d)).isEqualTo(text);
    }
}
