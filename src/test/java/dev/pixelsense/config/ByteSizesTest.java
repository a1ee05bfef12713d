package dev.pixelsense.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizesTest {

    @ParameterizedTest
    @CsvSource({
        "512, 512",
        "512b, 512",
        "512B, 512",
        "64KB, 65536",
        "64kb, 65536",
        "64k, 65536",
        "64KiB, 65536",
        "32MB, 33554432",
        "32MiB, 33554432",
        "32 MB, 33554432",
        "2GB, 2147483648",
        "1TB, 1099511627776",
        "1.5MB, 1572864",
        "' 1KB ', 1024",
        "0, 0"
    })
    void should_parse_sizes_in_powers_of_1024(String text, long bytes) {
        assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "-1", "1PB", "MB", "1 M B", "1KBB", "1e6"})
    void should_refuse_what_is_not_a_size(String text) {
        assertThatThrownBy(() -> ByteSizes.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a size; use e.g. 512KB, 32MB, 2GB");
    }

    @ParameterizedTest
    @CsvSource({
        "2147483648, 2GB",
        "33554432, 32MB",
        "1572864, 1536KB",
        "65536, 64KB",
        "1000, 1000B",
        "1025, 1025B",
        "0, 0B"
    })
    void should_format_in_the_largest_whole_unit(long bytes, String text) {
        assertThat(ByteSizes.format(bytes)).isEqualTo(text);
    }

    @Test
    void should_read_back_what_it_formats() {
        for (long bytes : new long[] {1, 1023, 1024, 3L << 20, 5L << 30, 12345678}) {
            assertThat(ByteSizes.parse(ByteSizes.format(bytes))).as("%d", bytes).isEqualTo(bytes);
        }
    }
}
