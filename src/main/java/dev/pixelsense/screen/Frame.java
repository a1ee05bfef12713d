package dev.pixelsense.screen;

import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;

/**
 * A captured image: physical pixels plus where they came from, so any pixel maps back to an exact
 * virtual-desktop coordinate (HiDPI displays and downscaled frames included).
 *
 * <p>Pixels are kept as a plain {@code int[]} in {@code 0xRRGGBB} order, row-major, {@code width}
 * per row: that is the layout of a 32-bit X11 ZPixmap and of a {@code TYPE_INT_RGB} image, so a
 * capture is one bulk copy and {@link #toImage()} wraps the array without copying. Bits 24-31
 * are unspecified (X11 pads with whatever the server has); {@link #rgb} masks them.
 * The array is owned by the frame: do not modify it (records do not copy arrays; we do not either,
 * because a 4K frame is 33 MB).
 *
 * @param width  width in physical pixels
 * @param height height in physical pixels
 * @param pixels {@code width * height} pixels
 * @param bounds the captured rectangle in virtual-desktop logical coordinates
 */
public record Frame(int width, int height, int[] pixels, Rect bounds) {
    private static final int[] RGB_MASKS = {0xFF0000, 0xFF00, 0xFF};

    public Frame {
        if (width <= 0 || height <= 0 || pixels.length < (long) width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " frame needs " + (long) width * height
                    + " pixels, got " + pixels.length);
        }
    }

    /** The pixel at (x, y) of the frame, {@code 0xRRGGBB}. */
    public int rgb(int x, int y) {
        return pixels[y * width + x] & 0xFFFFFF;
    }

    /** Physical pixels per logical pixel horizontally (1.0 unless HiDPI or downscaled). */
    public double scale() {
        return (double) width / bounds.width();
    }

    /** The virtual-desktop point under the centre of frame pixel (x, y). */
    public Point toDesktop(int x, int y) {
        return new Point(bounds.x() + (int) Math.floor((x + 0.5) * bounds.width() / width),
                bounds.y() + (int) Math.floor((y + 0.5) * bounds.height() / height));
    }

    /** A {@code TYPE_INT_RGB} image sharing this frame's pixel array (no copy). */
    public BufferedImage toImage() {
        DataBufferInt buffer = new DataBufferInt(pixels, width * height);
        SinglePixelPackedSampleModel model = new SinglePixelPackedSampleModel(buffer.getDataType(), width, height, RGB_MASKS);
        WritableRaster raster = Raster.createWritableRaster(model, buffer, null);
        return new BufferedImage(new DirectColorModel(24, RGB_MASKS[0], RGB_MASKS[1], RGB_MASKS[2]), raster, false, null);
    }

    /** Wraps an image (copying it into {@code TYPE_INT_RGB} when it is not one already). */
    public static Frame of(BufferedImage image, Rect bounds) {
        BufferedImage rgb = image;
        if (image.getType() != BufferedImage.TYPE_INT_RGB
                || image.getRaster().getDataBuffer().getSize() != image.getWidth() * image.getHeight()) {
            rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.drawImage(image, 0, 0, null);
            g.dispose();
        }
        int[] data = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        return new Frame(rgb.getWidth(), rgb.getHeight(), data, bounds);
    }

    /**
     * This frame scaled down so its longer edge is at most {@code maxEdge} pixels, keeping the
     * aspect ratio and the bounds (so {@link #toDesktop} stays exact). Returns this frame when it
     * is small enough already. Bilinear steps of at most 2x keep text legible (one big bilinear
     * step skips source pixels and aliases).
     */
    public Frame scaledToMaxEdge(int maxEdge) {
        if (maxEdge <= 0) {
            throw new IllegalArgumentException("max edge must be positive, got " + maxEdge);
        }
        int longer = Math.max(width, height);
        if (longer <= maxEdge) {
            return this;
        }
        double factor = (double) maxEdge / longer;
        int targetW = Math.max(1, (int) Math.round(width * factor));
        int targetH = Math.max(1, (int) Math.round(height * factor));
        BufferedImage current = toImage();
        int w = width;
        int h = height;
        while (w != targetW || h != targetH) {
            w = Math.max(targetW, (w + 1) / 2);
            h = Math.max(targetH, (h + 1) / 2);
            BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(current, 0, 0, w, h, null);
            g.dispose();
            current = next;
        }
        return Frame.of(current, bounds);
    }
}
