package dev.pixelsense.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.error.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * An unfinished download on disk: {@code KEY.partial} with the bytes so far and
 * {@code KEY.partial.json} with where they came from (URL, ETag, Last-Modified), which decides
 * whether the bytes may be resumed or must be discarded.
 */
final class PartialFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUFFER = 256 * 1024;

    private PartialFile() {
    }

    /**
     * Bytes of a usable partial, or 0 after discarding one that cannot be resumed: one from another
     * URL is only kept when the expected hash is known (it will catch a mix-up at the end).
     */
    static long resumable(Path partial, Path meta, URI url, boolean hashKnown) {
        try {
            if (!Files.exists(partial)) {
                return 0;
            }
            String previousUrl = Files.exists(meta) ? JSON.readTree(meta.toFile()).path("url").asText() : "";
            if (!previousUrl.equals(url.toString()) && !hashKnown) {
                delete(partial, meta);
                return 0;
            }
            return Files.size(partial);
        } catch (IOException e) {
            delete(partial, meta);
            return 0;
        }
    }

    /** Feeds the partial's bytes into {@code digest} (to resume hashing) and returns how many there were. */
    static long rehash(Path partial, MessageDigest digest) {
        try (InputStream in = Files.newInputStream(partial)) {
            byte[] buffer = new byte[BUFFER];
            long n = 0;
            for (int r = in.read(buffer); r > 0; r = in.read(buffer)) {
                digest.update(buffer, 0, r);
                n += r;
            }
            return n;
        } catch (IOException e) {
            digest.reset();
            return 0;
        }
    }

    /** The If-Range validator: a strong ETag, else Last-Modified, else null (then no resume is safe). */
    static String validator(Path meta) {
        try {
            var node = JSON.readTree(meta.toFile());
            if (node.hasNonNull("etag") && !node.get("etag").asText().startsWith("W/")) {
                return node.get("etag").asText();
            }
            return node.hasNonNull("last_modified") ? node.get("last_modified").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    static void writeMeta(Path meta, URI url, String etag, String lastModified) {
        ObjectNode node = JSON.createObjectNode().put("url", url.toString()).put("etag", etag)
                .put("last_modified", lastModified);
        try {
            Files.writeString(meta, node.toString());
        } catch (IOException e) {
            throw new StorageException("cannot write " + meta + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path partial, Path meta) {
        try {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(meta);
        } catch (IOException e) {
            throw new StorageException("cannot delete " + partial + ": " + e.getMessage(), e);
        }
    }
}
