package dev.pixelsense.store;

import dev.pixelsense.config.ByteSizes;
import dev.pixelsense.error.NotFoundException;
import dev.pixelsense.error.StorageException;
import dev.pixelsense.error.UpstreamException;
import dev.pixelsense.util.Watchdog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one file into a {@code .partial} file, hashing while it streams: resumes with Range
 * guarded by If-Range (a server that ignores the range, or a file that changed upstream, starts
 * over instead of being stitched), tries mirrors in order, retries transient failures with
 * exponential backoff, reconnects when no byte arrives for {@code stallTimeout}, follows
 * redirects itself so Authorization never reaches another host, and verifies size and SHA-256.
 * A partial whose content turns out wrong is deleted, never kept. Not thread-safe per file: the
 * store holds a lock per file around {@link #download}.
 */
final class Downloader {
    private static final Logger log = LoggerFactory.getLogger(Downloader.class);
    private static final int BUFFER = 256 * 1024;
    private static final int MAX_REDIRECTS = 5;

    /** What to fetch. {@code authorization} maps a host to the Authorization header sent only to it. */
    record Target(String fileName, List<URI> urls, String sha256, Long size, Map<String, String> authorization) {
    }

    /** A complete, verified download, still at its partial path. */
    record Result(Path file, String sha256, long size, URI source) {
    }

    /**
     * @param opener opens the partial file for appending; tests inject a failing one (disk full)
     */
    record Settings(Duration stallTimeout, int attempts, Duration backoff, long diskMargin, Opener opener) {
        static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), 5, Duration.ofSeconds(1), 64L << 20,
                    path -> Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        }
    }

    @FunctionalInterface
    interface Opener {
        OutputStream open(Path path) throws IOException;
    }

    /** Why one URL did not deliver; decides whether to retry it, skip it or stop. */
    private static final class Attempt extends RuntimeException {
        final boolean retry;

        Attempt(String message, boolean retry) {
            super(message, null, false, false);
            this.retry = retry;
        }
    }

    private final HttpClient http;
    private final Path partials;
    private final Settings settings;
    private final ScheduledExecutorService timers;

    Downloader(HttpClient http, Path partials, Settings settings, ScheduledExecutorService timers) {
        this.http = http;
        this.partials = partials;
        this.settings = settings;
        this.timers = timers;
    }

    Result download(Target target, String partialKey, Progress progress) {
        Path partial = partials.resolve(partialKey + ".partial");
        Path meta = partials.resolve(partialKey + ".partial.json");
        List<String> failures = new ArrayList<>();
        for (int attempt = 0; attempt < settings.attempts(); attempt++) {
            boolean anyRetriable = false;
            for (URI url : target.urls()) {
                try {
                    return fetch(target, url, partial, meta, progress);
                } catch (Attempt a) {
                    failures.add(a.getMessage());
                    log.warn("pull {}: {}", target.fileName(), a.getMessage());
                    anyRetriable |= a.retry;
                }
            }
            if (!anyRetriable) {
                break;
            }
            sleep(settings.backoff().multipliedBy(1L << Math.min(attempt, 5)));
        }
        String all = String.join("; ", failures.subList(Math.max(0, failures.size() - 4), failures.size()));
        if (failures.stream().allMatch(f -> f.contains("answered 404") || f.contains("answered 410"))) {
            throw new NotFoundException("'" + target.fileName() + "' was not found at any source: " + all, "ref",
                    "file_not_found");
        }
        throw new UpstreamException("could not download '" + target.fileName() + "': " + all);
    }

    private Result fetch(Target target, URI url, Path partial, Path meta, Progress progress) {
        long have = PartialFile.resumable(partial, meta, url, target.sha256() != null);
        MessageDigest digest = sha256();
        if (have > 0) {
            have = PartialFile.rehash(partial, digest);
        }
        String validator = have > 0 ? PartialFile.validator(meta) : null;
        HttpResponse<InputStream> response = open(url, have, validator, target);
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            if (status == 416) {
                PartialFile.delete(partial, meta);
                throw new Attempt(url + " answered 416 for a stale partial file; starting over", true);
            }
            if (status == 200 && have > 0) {
                log.info("pull {}: {} sent the whole file (no range support or the file changed); starting over",
                        target.fileName(), url.getHost());
                PartialFile.delete(partial, meta);
                have = 0;
                digest.reset();
            } else if (status == 206) {
                long start = rangeStart(response.headers().firstValue("content-range").orElse(""));
                if (start != have) {
                    PartialFile.delete(partial, meta);
                    throw new Attempt(url + " answered a range from " + start + ", asked " + have + "; starting over", true);
                }
            } else if (status != 200) {
                boolean retry = status >= 500 || status == 429 || status == 408;
                throw new Attempt(url + " answered " + status, retry);
            }
            if (have == 0) {
                PartialFile.writeMeta(meta, url, response.headers().firstValue("etag").orElse(null),
                        response.headers().firstValue("last-modified").orElse(null));
            }
            long remaining = response.headers().firstValueAsLong("content-length").orElse(-1);
            long total = remaining >= 0 ? have + remaining : target.size() != null ? target.size() : -1;
            checkDisk(partial, total < 0 ? -1 : total - have);
            long received = copy(body, partial, digest, have, total, progress, url, target);
            return finish(target, url, partial, meta, digest, received);
        } catch (IOException e) {
            throw new Attempt("reading from " + url.getHost() + " failed: " + e.getMessage(), true);
        }
    }

    private long copy(InputStream body, Path partial, MessageDigest digest, long have, long total, Progress progress,
                      URI url, Target target) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long received = have;
        progress.start(received, total);
        try (Watchdog stall = new Watchdog(timers, settings.stallTimeout(), "stall", () -> closeQuietly(body));
             OutputStream out = openPartial(partial)) {
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    if (stall.fired()) {
                        throw new Attempt("no data from " + url.getHost() + " for " + settings.stallTimeout().toSeconds()
                                + "s; reconnecting", true);
                    }
                    throw new Attempt("connection to " + url.getHost() + " broke after "
                            + ByteSizes.format(received) + ": " + e.getMessage(), true);
                }
                if (n < 0) {
                    break;
                }
                stall.reset(settings.stallTimeout(), "stall");
                digest.update(buffer, 0, n);
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new StorageException("cannot write " + partial + " (" + e.getMessage()
                            + "); the partial download is kept and resumes on the next pull", e);
                }
                received += n;
                progress.update(received, total);
            }
        }
        if (total >= 0 && received < total) {
            throw new Attempt("connection to " + url.getHost() + " ended after " + received + " of " + total
                    + " bytes", true);
        }
        if (target.size() != null && received != target.size()) {
            throw new Attempt(url + " delivered " + received + " bytes, expected " + target.size(), false);
        }
        return received;
    }

    private Result finish(Target target, URI url, Path partial, Path meta, MessageDigest digest, long size) {
        String actual = HexFormat.of().formatHex(digest.digest());
        if (target.sha256() != null && !target.sha256().equals(actual)) {
            PartialFile.delete(partial, meta);
            throw new Attempt("sha256 mismatch for '" + target.fileName() + "' from " + url + ": expected "
                    + target.sha256() + ", got " + actual + "; the file was deleted", false);
        }
        try {
            Files.deleteIfExists(meta);
        } catch (IOException ignored) {
            // a stale sidecar is ignored by the next pull
        }
        return new Result(partial, actual, size, url);
    }

    private HttpResponse<InputStream> open(URI url, long from, String validator, Target target) {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(current).GET().timeout(Duration.ofMinutes(2));
            if (from > 0) {
                b.header("Range", "bytes=" + from + "-");
                if (validator != null) {
                    b.header("If-Range", validator);
                }
            }
            String auth = target.authorization().get(current.getHost());
            if (auth != null && current.getHost().equals(url.getHost())) {
                b.header("Authorization", auth);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new Attempt("cannot reach " + current.getHost() + ": " + describe(e), true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamException("interrupted while connecting to " + current.getHost());
            }
            int status = response.statusCode();
            var location = response.headers().firstValue("location");
            if (status >= 300 && status < 400 && location.isPresent()) {
                closeQuietly(response.body());
                current = current.resolve(location.get());
                continue;
            }
            return response;
        }
        throw new Attempt("too many redirects from " + url, false);
    }

    private void checkDisk(Path partial, long needed) {
        if (needed <= 0) {
            return;
        }
        try {
            long free = Files.getFileStore(partial.getParent()).getUsableSpace();
            if (free < needed + settings.diskMargin()) {
                throw new StorageException("not enough free disk space in " + partial.getParent() + ": need "
                        + ByteSizes.format(needed) + " plus " + ByteSizes.format(settings.diskMargin())
                        + " spare, have " + ByteSizes.format(free), null);
            }
        } catch (IOException e) {
            log.debug("cannot read free space of {}: {}", partial.getParent(), e.getMessage());
        }
    }

    private OutputStream openPartial(Path partial) {
        try {
            return settings.opener().open(partial);
        } catch (IOException e) {
            throw new StorageException("cannot write " + partial + ": " + e.getMessage(), e);
        }
    }

    private static long rangeStart(String contentRange) {
        // "bytes 100-199/200"
        try {
            return Long.parseLong(contentRange.substring(6, contentRange.indexOf('-')).trim());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // dropping the connection is the point
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException("interrupted while waiting to retry");
        }
    }

    /** Progress of one file, throttled; implemented by the store. */
    interface Progress {
        void start(long completed, long total);

        void update(long completed, long total);
    }
}
