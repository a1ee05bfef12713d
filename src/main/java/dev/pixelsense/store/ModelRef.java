package dev.pixelsense.store;

import dev.pixelsense.error.BadRequestException;
import java.net.URI;

/**
 * What a user asks to pull: {@code hf://owner/repo/path/file[@revision]}, a plain
 * {@code https://} URL (optionally ending in {@code #sha256=HEX} to pin the content), or a catalog
 * name such as {@code ppocr-v4}.
 */
public sealed interface ModelRef {

    /** The reference as the user wrote it; manifests are kept under this name. */
    String text();

    record Hf(String text, String repo, String path, String revision) implements ModelRef {
        /** The Hub's download URL for this file under {@code endpoint} (HF_ENDPOINT or huggingface.co). */
        public URI resolveUrl(String endpoint) {
            String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
            return URI.create(base + "/" + repo + "/resolve/" + revision + "/" + path);
        }

        public String fileName() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    record Url(String text, URI uri, String pinnedSha256) implements ModelRef {
        public String fileName() {
            String p = uri.getPath();
            String name = p == null ? "" : p.substring(p.lastIndexOf('/') + 1);
            return name.isEmpty() ? "download" : name;
        }
    }

    record Catalog(String text) implements ModelRef {
    }

    /** @throws BadRequestException saying which forms are accepted */
    static ModelRef parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.startsWith("hf://")) {
            String rest = t.substring(5);
            String revision = "main";
            int at = rest.lastIndexOf('@');
            if (at > 0) {
                revision = rest.substring(at + 1);
                rest = rest.substring(0, at);
            }
            String[] parts = rest.split("/", 3);
            if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()
                    || rest.contains("..") || revision.isEmpty()) {
                throw new BadRequestException("'" + t + "' is not a Hugging Face file reference; write "
                        + "hf://owner/repo/path/to/file[@revision]", "ref");
            }
            return new Hf(t, parts[0] + "/" + parts[1], parts[2], revision);
        }
        if (t.startsWith("https://") || t.startsWith("http://")) {
            URI uri;
            try {
                uri = URI.create(t);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("'" + t + "' is not a valid URL", "ref");
            }
            String pinned = null;
            if (uri.getFragment() != null && uri.getFragment().startsWith("sha256=")) {
                pinned = uri.getFragment().substring(7).toLowerCase(java.util.Locale.ROOT);
                if (!pinned.matches("[0-9a-f]{64}")) {
                    throw new BadRequestException("the #sha256= of '" + t + "' must be 64 hex digits", "ref");
                }
            }
            if (uri.getHost() == null) {
                throw new BadRequestException("'" + t + "' has no host", "ref");
            }
            URI clean = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            return new Url(t, clean, pinned);
        }
        if (t.matches("[a-z0-9][a-z0-9._-]*")) {
            return new Catalog(t);
        }
        throw new BadRequestException("'" + t + "' is not a model reference: use a catalog name (see "
                + "'pixelsense models catalog'), hf://owner/repo/file or an https:// URL", "ref");
    }
}
