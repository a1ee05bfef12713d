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

    /**
     * A JPEG head built by hand: SOI, an APP1 ("Exif") segment with {@code app1Payload} bytes of
     * padding, then a baseline frame header (SOF0) declaring {@code width x height}, then a few
     * bytes of what would follow. Real cameras put tens of KB of EXIF before the frame header.
     */
    public static byte[] jpegWithApp1(int app1Payload, int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(2 + 4 + app1Payload + 19 + 8);
        b.put((byte) 0xFF).put((byte) 0xD8);
        b.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (app1Payload + 2));
        byte[] payload = new byte[app1Payload];
        byte[] exif = {'E', 'x', 'i', 'f', 0, 0};
        System.arraycopy(exif, 0, payload, 0, Math.min(exif.length, payload.length));
        for (int i = exif.length; i < payload.length; i++) {
            payload[i] = (byte) 0xFF; // marker-like bytes inside the segment must be skipped, not read
        }
        b.put(payload);
        b.put((byte) 0xFF).put((byte) 0xC0).putShort((short) 17).put((byte) 8)
                .putShort((short) height).putShort((short) width).put((byte) 3);
        b.put(new byte[] {1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1});
        b.put(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 12, 3, 1, 0, 2});
        return b.array();
    }

    /** A lossy WebP head ({@code VP8 } chunk) declaring {@code width x height} (14 bits each). */
    public static byte[] webpLossy(int width, int height) {
        ByteBuffer b = riff("VP8 ", 10);
        b.put(new byte[] {0x30, 0x01, 0x00}); // frame tag: key frame, show_frame
        b.put(new byte[] {(byte) 0x9D, 0x01, 0x2A}); // start code
        b.putShort((short) width).putShort((short) height);
        return b.array();
    }

    /** A lossless WebP head ({@code VP8L} chunk) declaring {@code width x height} (1..16384). */
    public static byte[] webpLossless(int width, int height) {
        ByteBuffer b = riff("VP8L", 10); // 5 header bytes and the start of the image stream
        b.put((byte) 0x2F);
        b.putInt((width - 1) | (height - 1) << 14 | 1 << 28); // alpha_is_used set, version 0
        return b.array();
    }

    /** An extended WebP head ({@code VP8X} chunk) declaring a canvas of {@code width x height}. */
    public static byte[] webpExtended(int width, int height) {
        ByteBuffer b = riff("VP8X", 10);
        b.put((byte) 0x10).put(new byte[3]); // flags: alpha; reserved
        putLe24(b, width - 1);
        putLe24(b, height - 1);
        return b.array();
    }

    private static ByteBuffer riff(String chunk, int chunkSize) {
        int padded = chunkSize + (chunkSize & 1);
        ByteBuffer b = ByteBuffer.allocate(20 + padded).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(12 + padded).put(new byte[] {'W', 'E', 'B', 'P'});
        b.put(chunk.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(chunkSize);
        return b;
    }

    private static void putLe24(ByteBuffer b, int v) {
        b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
    }
}
