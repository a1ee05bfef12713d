package dev.pixelsense.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.testing.Images;
import dev.pixelsense.vision.ImageProbe.Header;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Format and size from the first bytes, for real encoded files and hand-built headers. */
class ImageProbeTest {

    private static Header probe(byte[] bytes) {
        return ImageProbe.probe(bytes, bytes.length);
    }

    @ParameterizedTest
    @CsvSource({
        "png, png, 64, 48",
        "png, png, 1, 1",
        "jpg, jpeg, 640, 360",
        "jpg, jpeg, 17, 1001",
        "gif, gif, 300, 200",
        "bmp, bmp, 123, 45"
    })
    void should_read_format_and_size_of_real_images_written_by_imageio(String writer, String format, int width,
                                                                       int height) {
        // given
        byte[] bytes = Images.encoded(writer, width, height);
        // when
        Header header = probe(bytes);
        // then
        assertThat(header).isEqualTo(new Header(format, width, height));
        assertThat(header.mimeType()).isEqualTo("image/" + format);
        assertThat(header.pixels()).isEqualTo((long) width * height);
    }

    @Test
    void should_agree_with_imageio_on_a_real_jpeg() throws Exception {
        byte[] bytes = Images.encoded("jpg", 333, 222);
        var decoded = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(probe(bytes)).isEqualTo(new Header("jpeg", decoded.getWidth(), decoded.getHeight()));
    }

    @Test
    void should_read_a_jpeg_whose_frame_header_follows_a_large_exif_segment() {
        // given 60,000 bytes of APP1 (full of 0xFF bytes) before the frame header
        byte[] bytes = Images.jpegWithApp1(60_000, 4032, 3024);
        // when
        Header header = probe(bytes);
        // then
        assertThat(header).isEqualTo(new Header("jpeg", 4032, 3024));
        assertThat(header.pixels()).isEqualTo(4032L * 3024);
    }

    @Test
    void should_read_a_real_jpeg_with_a_large_exif_segment_inserted() {
        // given a real encoded JPEG with an APP1 segment spliced in after SOI
        byte[] real = Images.encoded("jpg", 200, 150);
        byte[] app1 = new byte[4 + 50_000];
        app1[0] = (byte) 0xFF;
        app1[1] = (byte) 0xE1;
        app1[2] = (byte) ((50_002) >> 8);
        app1[3] = (byte) (50_002 & 0xFF);
        byte[] bytes = new byte[real.length + app1.length];
        System.arraycopy(real, 0, bytes, 0, 2);
        System.arraycopy(app1, 0, bytes, 2, app1.length);
        System.arraycopy(real, 2, bytes, 2 + app1.length, real.length - 2);
        // then
        assertThat(probe(bytes)).isEqualTo(new Header("jpeg", 200, 150));
    }

    @Test
    void should_skip_fill_bytes_and_standalone_markers_before_the_frame_header() {
        // given SOI, fill bytes, an RST marker, then SOF2 (progressive)
        byte[] bytes = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xD0,
            (byte) 0xFF, (byte) 0xC2, 0, 17, 8, 0x01, 0x00, 0x02, 0x00, 3, 1, 0x22, 0, 2, 0x11, 1};
        assertThat(probe(bytes)).isEqualTo(new Header("jpeg", 512, 256));
    }

    @Test
    void should_not_take_a_huffman_table_for_a_frame_header() {
        // given DHT (FFC4) before SOF0: its bytes must not be read as dimensions
        byte[] dht = {(byte) 0xFF, (byte) 0xC4, 0, 8, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F};
        byte[] sof = {(byte) 0xFF, (byte) 0xC0, 0, 11, 8, 0, 10, 0, 20, 1, 1, 0x11, 0, 0, 0};
        byte[] bytes = concat(new byte[] {(byte) 0xFF, (byte) 0xD8}, dht, sof);
        assertThat(probe(bytes)).isEqualTo(new Header("jpeg", 20, 10));
    }

    @Test
    void should_read_a_jpeg_cut_right_after_the_frame_dimensions() {
        // given the bytes up to and including the width, and nothing more
        byte[] full = Images.jpegWithApp1(100, 800, 600);
        int sof = 2 + 4 + 100;
        byte[] cut = Arrays.copyOf(full, sof + 9);
        // then
        assertThat(probe(cut)).isEqualTo(new Header("jpeg", 800, 600));
        assertThat(probe(Arrays.copyOf(full, sof + 8))).isNull();
    }

    @Test
    void should_return_null_for_a_jpeg_cut_inside_the_exif_segment() {
        byte[] full = Images.jpegWithApp1(60_000, 4032, 3024);
        byte[] cut = Arrays.copyOf(full, 4096);
        assertThat(probe(cut)).isNull();
        assertThat(ImageProbe.looksLikeJpeg(cut, cut.length)).isTrue();
        // and the length argument is honoured: the full array, but only its first 4 KB
        assertThat(ImageProbe.probe(full, 4096)).isNull();
    }

    @Test
    void should_return_null_for_a_jpeg_with_garbage_where_a_marker_belongs() {
        byte[] bytes = {(byte) 0xFF, (byte) 0xD8, 0x12, 0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(probe(bytes)).isNull();
    }

    @Test
    void should_return_null_for_a_jpeg_segment_with_an_impossible_length() {
        byte[] bytes = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(probe(bytes)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "640, 480", "16383, 16383", "1920, 1080"})
    void should_read_a_lossy_webp(int width, int height) {
        assertThat(probe(Images.webpLossy(width, height))).isEqualTo(new Header("webp", width, height));
    }

    @Test
    void should_ignore_the_scaling_bits_of_a_lossy_webp() {
        // given the top two bits of each 16-bit size set (upscaling hints, not part of the size)
        byte[] bytes = Images.webpLossy(0xC000 | 640, 0x4000 | 480);
        assertThat(probe(bytes)).isEqualTo(new Header("webp", 640, 480));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "640, 480", "16384, 16384", "3, 16000"})
    void should_read_a_lossless_webp(int width, int height) {
        assertThat(probe(Images.webpLossless(width, height))).isEqualTo(new Header("webp", width, height));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "640, 480", "20000, 10000", "16777216, 2"})
    void should_read_an_extended_webp_canvas(int width, int height) {
        Header header = probe(Images.webpExtended(width, height));
        assertThat(header).isEqualTo(new Header("webp", width, height));
        assertThat(header.mimeType()).isEqualTo("image/webp");
    }

    @Test
    void should_return_null_for_an_unknown_webp_chunk() {
        byte[] bytes = Images.webpLossy(10, 10);
        bytes[15] = '9'; // "VP89"
        assertThat(probe(bytes)).isNull();
    }

    @Test
    void should_return_null_for_a_riff_that_is_not_webp() {
        byte[] bytes = Images.webpLossy(10, 10);
        System.arraycopy("WAVE".getBytes(), 0, bytes, 8, 4);
        assertThat(probe(bytes)).isNull();
    }

    @Test
    void should_read_a_top_down_bmp_with_a_negative_height() {
        // given a BMP header whose height is negative (rows stored top to bottom)
        ByteBuffer b = ByteBuffer.allocate(54).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(54).putInt(0).putInt(54);
        b.putInt(40).putInt(320).putInt(-200).putShort((short) 1).putShort((short) 24);
        assertThat(probe(b.array())).isEqualTo(new Header("bmp", 320, 200));
    }

    @Test
    void should_read_the_decompression_bomb_header_without_decoding() {
        Header header = probe(Images.pngBombHeader(100_000, 100_000));
        assertThat(header).isEqualTo(new Header("png", 100_000, 100_000));
        assertThat(header.pixels()).isEqualTo(10_000_000_000L);
    }

    @Test
    void should_return_null_for_zero_or_negative_dimensions() {
        assertThat(probe(Images.pngBombHeader(0, 10))).isNull();
        assertThat(probe(Images.pngBombHeader(-1, 10))).isNull();
        assertThat(probe(Images.webpLossy(0, 10))).isNull();
        assertThat(probe(Images.jpegWithApp1(10, 0, 10))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif", "bmp"})
    void should_return_null_for_real_images_cut_short(String format) {
        byte[] bytes = Images.encoded(format, 50, 40);
        for (int cut = 0; cut < 10; cut++) {
            assertThat(ImageProbe.probe(bytes, cut)).as("%s cut at %d", format, cut).isNull();
        }
    }

    @Test
    void should_return_null_for_truncated_headers_of_each_format() {
        assertThat(probe(Arrays.copyOf(Images.pngBombHeader(10, 10), 23))).isNull();
        assertThat(probe(Arrays.copyOf(Images.encoded("gif", 10, 10), 9))).isNull();
        assertThat(probe(Arrays.copyOf(Images.encoded("bmp", 10, 10), 25))).isNull();
        assertThat(probe(Arrays.copyOf(Images.webpExtended(10, 10), 29))).isNull();
    }

    @Test
    void should_return_null_for_garbage() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            // first bytes that no format starts with
            if (bytes.length > 0) {
                bytes[0] = 0x00;
            }
            assertThat(probe(bytes)).isNull();
        }
        assertThat(probe(new byte[0])).isNull();
        assertThat(probe("<html><body>not an image</body></html>".getBytes())).isNull();
        assertThat(probe("GIF".getBytes())).isNull();
        assertThat(ImageProbe.looksLikeJpeg("GIF89a".getBytes(), 6)).isFalse();
    }

    @Test
    void should_never_throw_on_random_bytes_after_a_jpeg_signature() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[2 + random.nextInt(64)];
            random.nextBytes(bytes);
            bytes[0] = (byte) 0xFF;
            bytes[1] = (byte) 0xD8;
            Header header = probe(bytes); // must not throw ArrayIndexOutOfBounds
            if (header != null) {
                assertThat(header.width()).isPositive();
                assertThat(header.height()).isPositive();
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
