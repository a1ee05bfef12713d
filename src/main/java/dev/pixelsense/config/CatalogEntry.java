package dev.pixelsense.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A named set of model files that {@code pixelsense pull NAME} fetches, e.g. a vision GGUF and
 * its projector. Read from the built-in catalog resource and from {@code store.catalog}.
 */
public record CatalogEntry(String name, String description, String license, List<File> files) {

    static final Set<String> KEYS = Set.of("name", "description", "license", "files");
    static final Set<String> FILE_KEYS = Set.of("name", "urls", "sha256", "size", "archive");
    static final Set<String> ARCHIVE_KEYS = Set.of("sha256", "size", "member");

    public CatalogEntry {
        files = List.copyOf(files);
    }

    /**
     * One file. With {@code archive}, the URLs fetch a {@code .tar.gz} that holds the file as
     * {@code member}; the archive is verified and cached too.
     *
     * @param urls tried in order: the first is the primary, the rest mirrors
     * @param sha256 lowercase hex, or null when not published (then recorded at first pull)
     * @param size bytes, or null when unknown
     */
    public record File(String name, List<String> urls, String sha256, Long size, Archive archive) {
        public File {
            urls = List.copyOf(urls);
        }
    }

    public record Archive(String sha256, Long size, String member) {
    }

    /** Reads a list of entries (the catalog resource's {@code catalog:} or {@code store.catalog}). */
    static List<CatalogEntry> read(List<ConfigNode> entries) {
        List<CatalogEntry> out = new ArrayList<>();
        for (ConfigNode e : entries) {
            e.allowOnly(KEYS);
            String name = required(e, "name");
            if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
                throw e.child("name").error("catalog names are lowercase letters, digits, '.', '_' and '-'");
            }
            List<File> files = new ArrayList<>();
            for (ConfigNode f : e.list("files")) {
                f.allowOnly(FILE_KEYS);
                List<String> urls = f.strings("urls");
                if (urls.isEmpty()) {
                    throw f.error("'urls' needs at least one URL");
                }
                for (ConfigNode u : f.list("urls")) {
                    if (!u.asString().matches("https?://.+")) {
                        throw u.error("'" + u.asString() + "' is not an http(s) URL");
                    }
                }
                Archive archive = null;
                if (f.has("archive")) {
                    ConfigNode a = f.object("archive");
                    a.allowOnly(ARCHIVE_KEYS);
                    archive = new Archive(sha256(a), size(a), required(a, "member"));
                }
                files.add(new File(required(f, "name"), urls, sha256(f), size(f), archive));
            }
            if (files.isEmpty()) {
                throw e.error("'files' needs at least one file");
            }
            out.add(new CatalogEntry(name, e.string("description", ""), e.string("license", null), files));
        }
        return out;
    }

    private static String required(ConfigNode n, String key) {
        String v = n.string(key, null);
        if (v == null || v.isBlank()) {
            throw n.error("'" + key + "' is required");
        }
        return v;
    }

    private static String sha256(ConfigNode n) {
        String v = n.string("sha256", null);
        if (v != null && !v.toLowerCase(Locale.ROOT).matches("[0-9a-f]{64}")) {
            throw n.child("sha256").error("must be 64 hex digits");
        }
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    private static Long size(ConfigNode n) {
        return n.has("size") ? n.bytes("size", 0) : null;
    }
}
