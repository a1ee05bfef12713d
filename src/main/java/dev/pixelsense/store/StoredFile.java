package dev.pixelsense.store;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A file in the cache: its name under a reference, the verified content hash, and where the
 * content lives.
 *
 * @param verified how the hash is known: {@code published} (catalog, #sha256= or the Hub's
 *     X-Linked-Etag) or {@code first-pull} (no hash was published; this is what was received)
 */
public record StoredFile(String name, String sha256, long size, String source, String verified, Instant pulledAt,
                         Path path) {
}
