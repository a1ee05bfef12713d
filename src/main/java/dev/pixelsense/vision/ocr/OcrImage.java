package dev.pixelsense.vision.ocr;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Pixels as OCR reads them: {@code 0xRRGGBB} ints, row-major (bits 24-31 ignored), the layout of
 * {@code TYPE_INT_RGB} images and of screen captures, so those are read without a copy.
 */
record OcrImage(int[] pixels, int width, int height) {
    OcrImage {
        if (width <= 0 || height <= 0 || pixels.length < (long) width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image needs " + (long) width * height
                    + " pixels, got " + pixels.length);
        }
    }

    /** The image's pixels; transparent ones composited over white (how text usually ends up on screen). */
    static OcrImage of(BufferedImage image) {
        int w = image.getWidth(), h = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_INT_RGB && image.getRaster().getDataBuffer() instanceof DataBufferInt data
                && data.getNumBanks() == 1 && data.getOffset() == 0 && image.getRaster().getParent() == null
                && image.getSampleModel() instanceof SinglePixelPackedSampleModel sm && sm.getScanlineStride() == w) {
            return new OcrImage(data.getData(), w, h);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        if (image.getColorModel().hasAlpha()) {
            for (int i = 0; i < argb.length; i++) {
                int a = argb[i] >>> 24;
                if (a != 255) {
                    argb[i] = blendOverWhite(argb[i], a);
                }
            }
        }
        return new OcrImage(argb, w, h);
    }

    private static int blendOverWhite(int argb, int a) {
        int r = ((argb >> 16) & 0xFF) * a / 255 + 255 - a;
        int g = ((argb >> 8) & 0xFF) * a / 255 + 255 - a;
        int b = (argb & 0xFF) * a / 255 + 255 - a;
        return r << 16 | g << 8 | b;
    }

    /**
     * Row {@code y} of this image scaled down to {@code w x h}, each output pixel the mean of the
     * source pixels it covers (no aliasing of thin strokes, unlike point sampling).
     */
    void resampleRow(int y, int w, int h, int[] out) {
        int y0 = (int) ((long) y * height / h), y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * height / h));
        for (int x = 0; x < w; x++) {
            int x0 = (int) ((long) x * width / w), x1 = Math.max(x0 + 1, (int) ((long) (x + 1) * width / w));
            int r = 0, g = 0, b = 0;
            for (int sy = y0; sy < y1; sy++) {
                int base = sy * width;
                for (int sx = x0; sx < x1; sx++) {
                    int p = pixels[base + sx];
                    r += (p >> 16) & 0xFF;
                    g += (p >> 8) & 0xFF;
                    b += p & 0xFF;
                }
            }
            int n = (y1 - y0) * (x1 - x0);
            out[x] = (r / n) << 16 | (g / n) << 8 | b / n;
        }
    }

    /**
     * Bilinear sample at (x, y) in pixel-centre coordinates (the centre of pixel (0, 0) is at 0, 0),
     * edges repeated outside; written as blue, green, red into {@code bgr}.
     */
    void sample(double x, double y, float[] bgr) {
        x = Math.clamp(x, 0, width - 1);
        y = Math.clamp(y, 0, height - 1);
        int x0 = (int) x, y0 = (int) y;
        int x1 = Math.min(x0 + 1, width - 1), y1 = Math.min(y0 + 1, height - 1);
        float fx = (float) (x - x0), fy = (float) (y - y0);
        int p00 = pixels[y0 * width + x0], p01 = pixels[y0 * width + x1];
        int p10 = pixels[y1 * width + x0], p11 = pixels[y1 * width + x1];
        for (int c = 0; c < 3; c++) {
            int shift = 8 * c; // blue, green, red
            float top = ((p00 >> shift) & 0xFF) * (1 - fx) + ((p01 >> shift) & 0xFF) * fx;
            float bottom = ((p10 >> shift) & 0xFF) * (1 - fx) + ((p11 >> shift) & 0xFF) * fx;
            bgr[c] = top * (1 - fy) + bottom * fy;
        }
    }
}
