package dev.pixelsense.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Test images: real encoded files, and a decompression bomb's header. */
public final class Images {
    private Images() {
    }

    /** A real image of this size in {@code format} (png, jpg, gif, bmp), with some drawing in it. */
    public static byte[] encoded(String format, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLUE);
        g.fillRect(width / 4, height / 4, width / 2, height / 2);
        g.setColor(Color.BLACK);
        g.drawString("pixelsense", 5, Math.min(20, height - 2));
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalArgumentException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String dataUrl(String mime, byte[] bytes) {
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    public static String pngDataUrl(int width, int height) {
        return dataUrl("image/png", encoded("png", width, height));
    }

    /**
     * The start of a PNG that declares {@code width x height} pixels (signature and a valid IHDR
     * chunk), as a decompression bomb begins: tiny on the wire, gigapixels once decoded.
     */
    public static byte[] pngBombHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 64);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        b.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return b.array();
    }
}
