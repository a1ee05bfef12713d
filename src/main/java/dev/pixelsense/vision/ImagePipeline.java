package dev.pixelsense.vision;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.PayloadTooLargeException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * One path for every image that reaches a model or the OCR: decode (PNG, JPEG, WebP, GIF's first
 * frame, BMP) after checking the header's pixel count against the limit, apply JPEG EXIF
 * orientation, resize by a policy, encode. Chat images and screen captures go through it alike.
 * Stateless and thread-safe; decoding and encoding are CPU-bound, call from bounded pools.
 */
public final class ImagePipeline {

    /**
     * How to size an image for a model: at most {@code maxEdge} pixels on the long side and
     * {@code maxPixels} in all (0 = no limit), then each side rounded down to a multiple of
     * {@code multiple} (e.g. 28 for Qwen2.5-VL's 14-pixel patches merged 2x2; 1 = any size).
     * Never upscales.
     */
    public record ResizePolicy(int maxEdge, long maxPixels, int multiple) {
        public static final ResizePolicy NONE = new ResizePolicy(0, 0, 1);

        public ResizePolicy {
            if (maxEdge < 0 || maxPixels < 0 || multiple < 1) {
                throw new IllegalArgumentException("maxEdge and maxPixels must be >= 0, multiple >= 1");
            }
        }

        /** The target size for a {@code width x height} image. */
        public int[] sizeFor(int width, int height) {
            double scale = 1;
            if (maxEdge > 0 && Math.max(width, height) > maxEdge) {
                scale = (double) maxEdge / Math.max(width, height);
            }
            if (maxPixels > 0 && (double) width * height * scale * scale > maxPixels) {
                scale = Math.sqrt((double) maxPixels / ((double) width * height));
            }
            int w = (int) Math.max(1, Math.floor(width * scale));
            int h = (int) Math.max(1, Math.floor(height * scale));
            if (multiple > 1) {
                w = Math.max(multiple, w / multiple * multiple);
                h = Math.max(multiple, h / multiple * multiple);
            }
            return new int[] {w, h};
        }
    }

    private final long maxPixels;

    /** @param maxPixels the decoded-pixel limit checked from the header before any decoding */
    public ImagePipeline(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /**
     * Decodes an encoded image.
     *
     * @param what names the image in error messages (e.g. the request field)
     * @throws PayloadTooLargeException when the header declares more pixels than the limit
     * @throws BadRequestException when the bytes are not a readable image of a known format
     */
    public BufferedImage decode(byte[] bytes, String what) {
        ImageProbe.Header header = ImageProbe.probe(bytes, bytes.length);
        if (header == null) {
            throw new BadRequestException(what + " is not a PNG, JPEG, WebP, GIF or BMP image", null, "invalid_image");
        }
        if (header.pixels() > maxPixels) {
            throw new PayloadTooLargeException(String.format("%s is %dx%d = %.1f megapixels, over the limit of %.1f "
                    + "megapixels (server.max_image_pixels)", what, header.width(), header.height(),
                    header.pixels() / 1e6, maxPixels / 1e6), null);
        }
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new BadRequestException(what + " could not be decoded as " + header.format() + ": " + e.getMessage(),
                    null, "invalid_image");
        }
        if (image == null) {
            throw new BadRequestException(what + ": no decoder for " + header.format(), null, "invalid_image");
        }
        int orientation = header.format().equals("jpeg") ? ExifOrientation.read(bytes) : 1;
        return ExifOrientation.apply(image, orientation);
    }

    /** Resizes by the policy (bilinear, in one step: fast enough for the factors screens need). */
    public static BufferedImage resize(BufferedImage image, ResizePolicy policy) {
        int[] size = policy.sizeFor(image.getWidth(), image.getHeight());
        if (size[0] == image.getWidth() && size[1] == image.getHeight()) {
            return image;
        }
        BufferedImage out = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, size[0], size[1], null);
        g.dispose();
        return out;
    }

    /** Turns an image by an EXIF orientation (1-8); the transforms are the standard ones. */
    static final class ExifOrientation {
        private ExifOrientation() {
        }

        /** The orientation tag of a JPEG's EXIF block, or 1 when there is none. */
        static int read(byte[] jpeg) {
            int i = 2;
            while (i + 4 < jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
                int marker = jpeg[i + 1] & 0xFF;
                int length = (jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF;
                if (marker == 0xE1 && i + 10 < jpeg.length && jpeg[i + 4] == 'E' && jpeg[i + 5] == 'x'
                        && jpeg[i + 6] == 'i' && jpeg[i + 7] == 'f') {
                    return fromTiff(jpeg, i + 10, Math.min(jpeg.length, i + 2 + length));
                }
                if (marker == 0xDA) {
                    break;
                }
                i += 2 + length;
            }
            return 1;
        }

        private static int fromTiff(byte[] b, int start, int end) {
            if (start + 8 > end) {
                return 1;
            }
            boolean little = b[start] == 'I';
            int ifd = start + u32(b, start + 4, little);
            if (ifd + 2 > end) {
                return 1;
            }
            int entries = u16(b, ifd, little);
            for (int e = 0; e < entries; e++) {
                int at = ifd + 2 + e * 12;
                if (at + 12 > end) {
                    return 1;
                }
                if (u16(b, at, little) == 0x0112) {
                    int value = u16(b, at + 8, little);
                    return value >= 1 && value <= 8 ? value : 1;
                }
            }
            return 1;
        }

        private static int u16(byte[] b, int i, boolean little) {
            return little ? (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 : (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
        }

        private static int u32(byte[] b, int i, boolean little) {
            return little ? u16(b, i, true) | u16(b, i + 2, true) << 16 : u16(b, i, false) << 16 | u16(b, i + 2, false);
        }

        /**
         * The image as it is meant to be seen. For each displayed pixel (x', y') the stored pixel is:
         * 2 (w-1-x', y'), 3 (w-1-x', h-1-y'), 4 (x', h-1-y'), 5 (y', x'), 6 (y', h-1-x'),
         * 7 (w-1-y', h-1-x'), 8 (w-1-y', x'); 5 to 8 swap width and height.
         */
        static BufferedImage apply(BufferedImage image, int orientation) {
            if (orientation <= 1) {
                return image;
            }
            int w = image.getWidth();
            int h = image.getHeight();
            int[] src = image.getRGB(0, 0, w, h, null, 0, w);
            boolean swap = orientation >= 5;
            int ow = swap ? h : w;
            int oh = swap ? w : h;
            int[] dst = new int[ow * oh];
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int sx;
                    int sy;
                    switch (orientation) {
                        case 2 -> { sx = w - 1 - x; sy = y; }
                        case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                        case 4 -> { sx = x; sy = h - 1 - y; }
                        case 5 -> { sx = y; sy = x; }
                        case 6 -> { sx = y; sy = h - 1 - x; }
                        case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                        default -> { sx = w - 1 - y; sy = x; }
                    }
                    dst[y * ow + x] = src[sy * w + sx];
                }
            }
            BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
            out.setRGB(0, 0, ow, oh, dst, 0, ow);
            return out;
        }
    }
}
