package dev.pixelsense.store;

import dev.pixelsense.error.UpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;

/**
 * Copies one member out of a {@code .tar.gz} (ustar and GNU tar headers; only what model
 * packages such as npm tarballs use), hashing it on the way.
 */
final class TarGz {
    private TarGz() {
    }

    /** @return the member's size; its SHA-256 goes into {@code digest} */
    static long extract(Path archive, String member, Path to, MessageDigest digest) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 64 * 1024)) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) {
                    break;
                }
                String name = text(header, 0, 100);
                String prefix = text(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(text(header, 124, 12).trim().isEmpty() ? "0" : text(header, 124, 12).trim(), 8);
                long padded = (size + 511) / 512 * 512;
                if (name.equals(member)) {
                    try (OutputStream out = Files.newOutputStream(to)) {
                        byte[] buffer = new byte[64 * 1024];
                        long left = size;
                        while (left > 0) {
                            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                            if (n < 0) {
                                throw new IOException("the archive ends inside " + member);
                            }
                            digest.update(buffer, 0, n);
                            out.write(buffer, 0, n);
                            left -= n;
                        }
                    }
                    return size;
                }
                in.skipNBytes(padded);
            }
        }
        throw new UpstreamException("the archive " + archive.getFileName() + " has no member '" + member + "'");
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }
}
