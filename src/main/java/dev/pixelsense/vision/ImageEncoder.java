package dev.pixelsense.vision;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG and JPEG encoding with the settings measured to be fast for screenshots (docs/benchmarks.md).
 * CPU-bound: callers on request threads should run it on a bounded pool.
 */
public final class ImageEncoder {
    /** JPEG quality used unless told otherwise: text stays readable for OCR and vision models. */
    public static final float DEFAULT_JPEG_QUALITY = 0.85f;
    /**
     * PNG deflate level 1 (ImageIO maps quality q to level 9 - round(9q)): screenshots have long runs
     * that level 1 already finds, at a fraction of the default level's time.
     */
    private static final float PNG_FAST_QUALITY = 8f / 9f;

    public enum Format {
        PNG, JPEG;

        /** From a file name's extension ({@code .png}, {@code .jpg}, {@code .jpeg}). */
        public static Format ofFileName(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".png")) {
                return PNG;
            }
            if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
                return JPEG;
            }
            throw new IllegalArgumentException("Cannot tell the image format of '" + name + "': use .png, .jpg or .jpeg");
        }
    }

    private ImageEncoder() {}

    /**
     * @param quality JPEG quality 0-1 (ignored for PNG)
     */
    public static void write(BufferedImage image, Format format, float quality, OutputStream out) throws IOException {
        if (format == Format.JPEG && image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            image = toBgr(image);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format == Format.PNG ? "png" : "jpeg").next();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(format == Format.PNG ? PNG_FAST_QUALITY : quality);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /**
     * ImageIO's JPEG writer hands 3-byte BGR rows to libjpeg as they are and converts anything else
     * pixel by pixel in Java; one Java2D blit first was faster in every run (docs/benchmarks.md).
     */
    private static BufferedImage toBgr(BufferedImage image) {
        BufferedImage bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bgr.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return bgr;
    }

    public static byte[] encode(BufferedImage image, Format format, float quality) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        try {
            write(image, format, quality, out);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding " + format + " failed in memory: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** {@code image} as a JPEG data URL at the default quality: what images sent to a model look like. */
    public static String jpegDataUrl(BufferedImage image) {
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(
                encode(image, Format.JPEG, DEFAULT_JPEG_QUALITY));
    }
}
