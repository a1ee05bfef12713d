package dev.pixelsense.vision;

/**
 * Reads an image's format and dimensions from its first bytes, without decoding pixels, so that a
 * decompression bomb (a small file that decodes to gigapixels) is refused before any decoding.
 * Knows PNG, JPEG, GIF, BMP and WebP (lossy, lossless, extended).
 */
public final class ImageProbe {

    /** What the header says. */
    public record Header(String format, int width, int height) {
        public long pixels() {
            return (long) width * height;
        }

        public String mimeType() {
            return "image/" + format;
        }
    }

    private ImageProbe() {
    }

    /**
     * @param bytes the start of the file (for JPEG, enough to reach the frame header)
     * @return the header, or null if the bytes are not a known image format or are cut too short
     */
    public static Header probe(byte[] bytes, int length) {
        if (length >= 24 && u8(bytes, 0) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G'
                && bytes[12] == 'I' && bytes[13] == 'H' && bytes[14] == 'D' && bytes[15] == 'R') {
            return header("png", be32(bytes, 16), be32(bytes, 20));
        }
        if (length >= 4 && u8(bytes, 0) == 0xFF && u8(bytes, 1) == 0xD8) {
            return jpeg(bytes, length);
        }
        if (length >= 10 && bytes[0] == 'G' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == '8') {
            return header("gif", le16(bytes, 6), le16(bytes, 8));
        }
        if (length >= 26 && bytes[0] == 'B' && bytes[1] == 'M') {
            return header("bmp", le32(bytes, 18), Math.abs(le32(bytes, 22)));
        }
        if (length >= 30 && bytes[0] == 'R' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == 'F'
                && bytes[8] == 'W' && bytes[9] == 'E' && bytes[10] == 'B' && bytes[11] == 'P') {
            return webp(bytes);
        }
        return null;
    }

    /** True if the bytes start like a JPEG, whose frame header may lie further in. */
    public static boolean looksLikeJpeg(byte[] bytes, int length) {
        return length >= 2 && u8(bytes, 0) == 0xFF && u8(bytes, 1) == 0xD8;
    }

    private static Header jpeg(byte[] b, int length) {
        int i = 2;
        // i + 8 is the last byte read (the width's low byte of a frame header)
        while (i + 8 < length) {
            if (u8(b, i) != 0xFF) {
                return null;
            }
            int marker = u8(b, i + 1);
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                i += 2;
                continue;
            }
            int segment = be16(b, i + 2);
            boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame) {
                return header("jpeg", be16(b, i + 7), be16(b, i + 5));
            }
            if (segment < 2) {
                return null;
            }
            i += 2 + segment;
        }
        return null;
    }

    private static Header webp(byte[] b) {
        if (b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == ' ') {
            return header("webp", le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
        }
        if (b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == 'L') {
            int bits = le32(b, 21);
            return header("webp", (bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
        }
        if (b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == 'X') {
            return header("webp", le24(b, 24) + 1, le24(b, 27) + 1);
        }
        return null;
    }

    private static Header header(String format, int width, int height) {
        return width > 0 && height > 0 ? new Header(format, width, height) : null;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int be16(byte[] b, int i) {
        return u8(b, i) << 8 | u8(b, i + 1);
    }

    private static int be32(byte[] b, int i) {
        return u8(b, i) << 24 | u8(b, i + 1) << 16 | u8(b, i + 2) << 8 | u8(b, i + 3);
    }

    private static int le16(byte[] b, int i) {
        return u8(b, i) | u8(b, i + 1) << 8;
    }

    private static int le24(byte[] b, int i) {
        return u8(b, i) | u8(b, i + 1) << 8 | u8(b, i + 2) << 16;
    }

    private static int le32(byte[] b, int i) {
        return u8(b, i) | u8(b, i + 1) << 8 | u8(b, i + 2) << 16 | u8(b, i + 3) << 24;
    }
}
