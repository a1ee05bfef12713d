package dev.pixelsense.store;

import dev.pixelsense.config.CatalogEntry;
import dev.pixelsense.error.NotFoundException;
import dev.pixelsense.error.UpstreamException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a reference into the files to fetch: catalog entries as written, Hugging Face files with
 * the hash the Hub publishes ({@code X-Linked-Etag} on a HEAD that does not follow the redirect),
 * and plain URLs. {@code HF_ENDPOINT} points Hub URLs at a mirror; {@code HF_TOKEN} is sent as a
 * Bearer token to the Hub's host only.
 */
final class Sources {
    static final String HUB = "https://huggingface.co";

    /** One file to make present; {@code archive} set when it is a member of a downloaded archive. */
    record Job(String name, Downloader.Target target, CatalogEntry.Archive archive) {
    }

    private final HttpClient http;
    private final Function<String, String> env;

    Sources(HttpClient http, Function<String, String> env) {
        this.http = http;
        this.env = env;
    }

    List<Job> resolve(ModelRef ref, Map<String, CatalogEntry> catalog, PullProgress.Listener listener) {
        listener.on(new PullProgress(ref.text(), null, "resolving", 0, -1, 0, -1, null));
        return switch (ref) {
            case ModelRef.Catalog c -> fromCatalog(c, catalog);
            case ModelRef.Url u -> List.of(new Job(u.fileName(), new Downloader.Target(u.fileName(), List.of(u.uri()),
                    u.pinnedSha256(), null, Map.of()), null));
            case ModelRef.Hf h -> List.of(fromHub(h));
        };
    }

    private List<Job> fromCatalog(ModelRef.Catalog ref, Map<String, CatalogEntry> catalog) {
        CatalogEntry entry = catalog.get(ref.text());
        if (entry == null) {
            throw new NotFoundException("'" + ref.text() + "' is not in the catalog; known: "
                    + String.join(", ", catalog.keySet()) + " (or use hf://owner/repo/file or an https:// URL)", "ref",
                    "model_not_found");
        }
        List<Job> jobs = new ArrayList<>();
        for (CatalogEntry.File f : entry.files()) {
            List<URI> urls = f.urls().stream().map(this::mirrored).toList();
            String sha = f.sha256();
            Long size = f.size();
            if (sha == null && f.archive() == null && isHub(urls.getFirst())) {
                Head head = head(urls.getFirst());
                sha = head.sha256();
                size = size != null ? size : head.size();
            }
            jobs.add(new Job(f.name(), new Downloader.Target(f.name(), urls, sha, size, hubAuth()), f.archive()));
        }
        return jobs;
    }

    private Job fromHub(ModelRef.Hf ref) {
        URI url = ref.resolveUrl(endpoint());
        Head head = head(url);
        if (head.status() == 404) {
            throw new NotFoundException("the Hub has no file " + ref.path() + " in " + ref.repo() + " at revision "
                    + ref.revision() + " (" + url + ")", "ref", "file_not_found");
        }
        if (head.status() == 401 || head.status() == 403) {
            throw new UpstreamException("the Hub refused " + url + " (" + head.status() + "): the repository is gated "
                    + "or private; accept its terms and set HF_TOKEN");
        }
        return new Job(ref.fileName(), new Downloader.Target(ref.fileName(), List.of(url), head.sha256(), head.size(),
                hubAuth()), null);
    }

    private record Head(int status, String sha256, Long size) {
    }

    /** A HEAD that does not follow the redirect, where the Hub says what the file's content is. */
    private Head head(URI url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30));
        String auth = hubAuth().get(url.getHost());
        if (auth != null) {
            b.header("Authorization", auth);
        }
        try {
            HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
            String etag = r.headers().firstValue("x-linked-etag").orElse("").replace("\"", "").toLowerCase(Locale.ROOT);
            Long size = r.headers().firstValue("x-linked-size").map(Long::parseLong).orElse(null);
            return new Head(r.statusCode(), etag.matches("[0-9a-f]{64}") ? etag : null, size);
        } catch (IOException e) {
            throw new UpstreamException("cannot reach " + url.getHost() + " to resolve " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException("interrupted while resolving " + url);
        } catch (NumberFormatException e) {
            return new Head(200, null, null);
        }
    }

    private String endpoint() {
        String e = env.apply("HF_ENDPOINT");
        return e == null || e.isBlank() ? HUB : e.strip();
    }

    private boolean isHub(URI url) {
        return url.getHost() != null && url.getHost().equals(URI.create(endpoint()).getHost());
    }

    /** Hub URLs in the catalog go to the mirror when HF_ENDPOINT names one. */
    private URI mirrored(String url) {
        String e = endpoint();
        if (!e.equals(HUB) && url.startsWith(HUB + "/")) {
            return URI.create((e.endsWith("/") ? e.substring(0, e.length() - 1) : e) + url.substring(HUB.length()));
        }
        return URI.create(url);
    }

    private Map<String, String> hubAuth() {
        String token = env.apply("HF_TOKEN");
        if (token == null || token.isBlank()) {
            return Map.of();
        }
        return Map.of(URI.create(endpoint()).getHost(), "Bearer " + token.strip());
    }
}
