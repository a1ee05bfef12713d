package dev.pixelsense.cli;

import dev.pixelsense.vision.ImageProbe;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** An image file named on the command line: read, recognized from its header, decoded within limits. */
record ImageFile(Path path, byte[] bytes, ImageProbe.Header header) {
    /** Decoding refuses more pixels than this (the server's default max_image_pixels). */
    static final long MAX_PIXELS = 40_000_000L;

    /** @throws IllegalArgumentException (usage error) for a missing file or one that is not an image */
    static ImageFile read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("image file not found: " + file);
        }
        ImageProbe.Header header = ImageProbe.probe(bytes, bytes.length);
        if (header == null) {
            throw new IllegalArgumentException(file + " is not a PNG, JPEG, WebP, GIF or BMP image");
        }
        return new ImageFile(file, bytes, header);
    }

    /** The pixels, after checking the header's size (a decompression bomb is never decoded). */
    BufferedImage decode() throws IOException {
        if (header.pixels() > MAX_PIXELS) {
            throw new IllegalArgumentException(path + " is " + header.width() + "x" + header.height()
                    + " pixels; at most " + MAX_PIXELS / 1_000_000 + " MP are decoded");
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        if (image == null) {
            throw new IllegalArgumentException(path + ": " + header.format().toUpperCase(java.util.Locale.ROOT)
                    + " images cannot be decoded here yet; convert it to PNG");
        }
        return image;
    }
}
