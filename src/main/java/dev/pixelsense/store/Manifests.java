package dev.pixelsense.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.error.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The named references on top of the content-addressed blobs: one small JSON file per pulled
 * reference listing its files and their hashes. Written atomically (temp file, then rename).
 */
final class Manifests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path blobs;

    Manifests(Path dir, Path blobs) {
        this.dir = dir;
        this.blobs = blobs;
    }

    Path blob(String sha256) {
        return blobs.resolve("sha256-" + sha256);
    }

    Optional<List<StoredFile>> read(String ref) {
        Path file = fileOf(ref);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(parse(file).files());
    }

    record Entry(String ref, List<StoredFile> files) {
    }

    List<Entry> all() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().map(this::parse).toList();
        } catch (IOException e) {
            throw new StorageException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    void write(String ref, List<StoredFile> files) {
        ObjectNode root = JSON.createObjectNode().put("ref", ref);
        ArrayNode list = root.putArray("files");
        for (StoredFile f : files) {
            list.addObject().put("name", f.name()).put("sha256", f.sha256()).put("size", f.size())
                    .put("source", f.source()).put("verified", f.verified()).put("pulled_at", f.pulledAt().toString());
        }
        Path target = fileOf(ref);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".manifest", ".tmp");
            Files.writeString(tmp, root.toPrettyString(), StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StorageException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    boolean delete(String ref) {
        try {
            return Files.deleteIfExists(fileOf(ref));
        } catch (IOException e) {
            throw new StorageException("cannot delete the manifest of " + ref + ": " + e.getMessage(), e);
        }
    }

    private Entry parse(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            List<StoredFile> files = new ArrayList<>();
            for (JsonNode f : root.path("files")) {
                String sha = f.path("sha256").asText();
                files.add(new StoredFile(f.path("name").asText(), sha, f.path("size").asLong(),
                        f.path("source").asText(), f.path("verified").asText(), Instant.parse(f.path("pulled_at").asText()),
                        blob(sha)));
            }
            return new Entry(root.path("ref").asText(), files);
        } catch (IOException | RuntimeException e) {
            throw new StorageException("the manifest " + file + " is unreadable (" + e.getMessage()
                    + "); remove it with 'pixelsense models rm' or delete the file", e);
        }
    }

    /** A file name that is readable and unique per reference. */
    Path fileOf(String ref) {
        String readable = ref.replaceAll("[^A-Za-z0-9._-]+", "_");
        if (readable.length() > 80) {
            readable = readable.substring(readable.length() - 80);
        }
        return dir.resolve(readable + "-" + shortHash(ref) + ".json");
    }

    static String shortHash(String text) {
        MessageDigest d = Downloader.sha256();
        return HexFormat.of().formatHex(d.digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
    }
}
