package dev.pixelsense.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.PayloadTooLargeException;
import dev.pixelsense.testing.Images;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoding with limits, EXIF orientation and resize policies. */
class ImagePipelineTest {
    private final ImagePipeline pipeline = new ImagePipeline(40_000_000);

    @ParameterizedTest
    @CsvSource({"png", "jpg", "gif", "bmp"})
    void should_decode_the_formats_the_jdk_writes(String format) {
        BufferedImage image = pipeline.decode(Images.encoded(format, 120, 80), "test");
        assertThat(image.getWidth()).isEqualTo(120);
        assertThat(image.getHeight()).isEqualTo(80);
    }

    @Test
    void should_decode_webp_made_by_cwebp(@TempDir Path dir) throws Exception {
        Path png = Files.write(dir.resolve("in.png"), Images.encoded("png", 90, 60));
        Path webp = dir.resolve("out.webp");
        Process p = new ProcessBuilder("cwebp", "-quiet", png.toString(), "-o", webp.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).as("cwebp (Debian package webp; scripts/test installs it)").isZero();

        BufferedImage image = pipeline.decode(Files.readAllBytes(webp), "test");

        assertThat(image.getWidth()).isEqualTo(90);
        assertThat(image.getHeight()).isEqualTo(60);
    }

    @Test
    void should_refuse_a_bomb_before_decoding_and_garbage_clearly() {
        assertThatThrownBy(() -> pipeline.decode(Images.pngBombHeader(100_000, 100_000), "the upload"))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("100000x100000");
        assertThatThrownBy(() -> pipeline.decode("not an image".getBytes(), "the upload"))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("the upload");
    }

    @ParameterizedTest
    @CsvSource({"1,3,2,0,0", "2,3,2,2,0", "3,3,2,2,1", "4,3,2,0,1", "5,2,3,0,0", "6,2,3,1,0", "7,2,3,1,2", "8,2,3,0,2"})
    void should_turn_images_by_their_exif_orientation(int orientation, int width, int height, int markX, int markY) {
        // a 3x2 image, red at its stored top-left; the mark must end where the orientation puts it
        BufferedImage stored = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        stored.setRGB(0, 0, 0xFF0000);
        BufferedImage shown = ImagePipeline.ExifOrientation.apply(stored, orientation);
        assertThat(shown.getWidth()).isEqualTo(width);
        assertThat(shown.getHeight()).isEqualTo(height);
        assertThat(shown.getRGB(markX, markY) & 0xFFFFFF).isEqualTo(0xFF0000);
    }

    @Test
    void should_read_the_orientation_from_a_jpegs_exif_block() throws Exception {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB), "jpg", jpeg);
        byte[] plain = jpeg.toByteArray();
        // an APP1 Exif segment (big-endian TIFF, one IFD entry: orientation = 6) after SOI
        byte[] app1 = {(byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1,
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
        byte[] withExif = new byte[plain.length + app1.length];
        System.arraycopy(plain, 0, withExif, 0, 2);
        System.arraycopy(app1, 0, withExif, 2, app1.length);
        System.arraycopy(plain, 2, withExif, 2 + app1.length, plain.length - 2);

        BufferedImage shown = pipeline.decode(withExif, "photo");

        assertThat(shown.getWidth()).isEqualTo(20);
        assertThat(shown.getHeight()).isEqualTo(40);
    }

    @ParameterizedTest
    @CsvSource({
        "1920,1080,1280,0,1,1280,720",
        "1920,1080,0,1000000,1,1333,750",
        "1920,1080,1280,0,28,1260,700",
        "640,480,1280,0,1,640,480",
        "1000,10,100,0,28,84,28"})
    void should_size_images_by_policy(int w, int h, int maxEdge, long maxPixels, int multiple, int ew, int eh) {
        int[] size = new ImagePipeline.ResizePolicy(maxEdge, maxPixels, multiple).sizeFor(w, h);
        assertThat(size).containsExactly(ew, eh);
    }
}
