package dev.pixelsense.store;

import dev.pixelsense.config.CatalogEntry;
import dev.pixelsense.config.StoreConfig;
import dev.pixelsense.error.NotFoundException;
import dev.pixelsense.error.StorageException;
import dev.pixelsense.error.UpstreamException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The model cache: pulls references into content-addressed blobs ({@code blobs/sha256-HEX}, one
 * copy per content) with named manifests on top ({@code manifests/}), partial downloads in
 * {@code partial/}, and a lock per file ({@code locks/}, a file lock across processes plus a lock
 * within this one) so that concurrent pulls of one file download it once. Nothing enters
 * {@code blobs/} before its SHA-256 is verified. Thread-safe.
 */
public final class ModelStore implements AutoCloseable {
    private static final Map<String, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path root;
    private final Path blobs;
    private final Path partials;
    private final Path locks;
    private final Manifests manifests;
    private final Map<String, CatalogEntry> catalog = new LinkedHashMap<>();
    private final Sources sources;
    private final Downloader downloader;
    private final HttpClient http;
    private final ScheduledExecutorService timers;

    private final dev.pixelsense.metrics.Metrics.Counter pulledFiles;
    private final dev.pixelsense.metrics.Metrics.Counter pulledBytes;

    public ModelStore(StoreConfig config, List<CatalogEntry> builtIn, Function<String, String> env) {
        this(config, builtIn, env, Downloader.Settings.defaults(), new dev.pixelsense.metrics.Metrics());
    }

    /** A store that counts its pulls in {@code metrics} (the server's registry). */
    public ModelStore(StoreConfig config, List<CatalogEntry> builtIn, Function<String, String> env,
                      dev.pixelsense.metrics.Metrics metrics) {
        this(config, builtIn, env, Downloader.Settings.defaults(), metrics);
    }

    ModelStore(StoreConfig config, List<CatalogEntry> builtIn, Function<String, String> env,
               Downloader.Settings settings) {
        this(config, builtIn, env, settings, new dev.pixelsense.metrics.Metrics());
    }

    ModelStore(StoreConfig config, List<CatalogEntry> builtIn, Function<String, String> env,
               Downloader.Settings settings, dev.pixelsense.metrics.Metrics metrics) {
        this.pulledFiles = metrics.counter("pixelsense_pull_files_total",
                "Model files a pull asked for, by outcome (downloaded, present, failed).", "outcome");
        this.pulledBytes = metrics.counter("pixelsense_pull_bytes_total", "Bytes of model files downloaded and verified.");
        this.root = config.dir();
        this.blobs = root.resolve("blobs");
        this.partials = root.resolve("partial");
        this.locks = root.resolve("locks");
        this.manifests = new Manifests(root.resolve("manifests"), blobs);
        builtIn.forEach(e -> catalog.put(e.name(), e));
        config.catalog().forEach(e -> catalog.put(e.name(), e));
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(java.time.Duration.ofSeconds(15)).build();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pixelsense-store-timers");
            t.setDaemon(true);
            return t;
        });
        this.sources = new Sources(http, env);
        this.downloader = new Downloader(http, partials, settings, timers);
    }

    public Path root() {
        return root;
    }

    /** The catalog: built-in entries, then the config's (which replace built-in ones by name). */
    public List<CatalogEntry> catalog() {
        return List.copyOf(catalog.values());
    }

    /**
     * Makes every file of {@code ref} present and verified, downloading what is missing.
     *
     * @throws dev.pixelsense.error.BadRequestException for a malformed reference
     * @throws NotFoundException for an unknown catalog name or a file no source has
     * @throws UpstreamException when no source delivered the right bytes
     * @throws StorageException when the disk is full or unwritable
     */
    public List<StoredFile> pull(String refText, PullProgress.Listener listener) {
        ModelRef ref = ModelRef.parse(refText);
        List<Sources.Job> jobs = sources.resolve(ref, catalog, listener);
        createDirectories();
        List<StoredFile> stored = new ArrayList<>();
        for (Sources.Job job : jobs) {
            try {
                stored.add(ensure(ref.text(), job, listener));
            } catch (RuntimeException e) {
                pulledFiles.inc("failed");
                throw e;
            }
        }
        manifests.write(ref.text(), stored);
        return stored;
    }

    private StoredFile ensure(String ref, Sources.Job job, PullProgress.Listener listener) {
        Optional<StoredFile> existing = present(ref, job);
        if (existing.isPresent()) {
            pulledFiles.inc("present");
            listener.on(new PullProgress(ref, job.name(), "exists", existing.get().size(), existing.get().size(), 0, 0,
                    "already present, sha256 " + existing.get().sha256()));
            return existing.get();
        }
        String key = Manifests.shortHash(job.target().urls().getFirst() + "|" + job.target().sha256() + "|"
                + (job.archive() == null ? "" : job.archive().member()));
        try (FileLockHandle ignored = lock(key)) {
            existing = present(ref, job);
            if (existing.isPresent()) {
                pulledFiles.inc("present");
                listener.on(new PullProgress(ref, job.name(), "exists", existing.get().size(), existing.get().size(),
                        0, 0, "pulled meanwhile by another process"));
                return existing.get();
            }
            ProgressReporter progress = new ProgressReporter(ref, job.name(), listener);
            String sha;
            long size;
            String source;
            if (job.archive() == null) {
                Downloader.Result r = downloader.download(job.target(), key, progress);
                sha = r.sha256();
                size = r.size();
                source = r.source().toString();
                adopt(r.file(), sha);
            } else {
                Path archive = archiveBlob(ref, job, progress);
                listener.on(new PullProgress(ref, job.name(), "extracting", 0, -1, 0, -1, job.archive().member()));
                Path tmp = partials.resolve(key + ".member");
                MessageDigest digest = Downloader.sha256();
                try {
                    size = TarGz.extract(archive, job.archive().member(), tmp, digest);
                } catch (IOException e) {
                    throw new StorageException("cannot extract " + job.archive().member() + ": " + e.getMessage(), e);
                }
                sha = HexFormat.of().formatHex(digest.digest());
                if (job.target().sha256() != null && !job.target().sha256().equals(sha)) {
                    PartialFile.delete(tmp, tmp);
                    throw new UpstreamException("sha256 mismatch for '" + job.name() + "' in " + job.target().urls()
                            .getFirst() + ": expected " + job.target().sha256() + ", got " + sha + "; the file was deleted");
                }
                source = job.target().urls().getFirst() + "#" + job.archive().member();
                adopt(tmp, sha);
            }
            String verified = job.target().sha256() != null ? "published" : "first-pull";
            pulledFiles.inc("downloaded");
            pulledBytes.add(size);
            listener.on(new PullProgress(ref, job.name(), "done", size, size, 0, 0, "sha256 " + sha
                    + (verified.equals("first-pull") ? " (no published hash; recorded now)" : " (verified)")));
            return new StoredFile(job.name(), sha, size, source, verified, Instant.now(), manifests.blob(sha));
        }
    }

    /** The archive a member comes from, downloaded and verified once and kept as a blob. */
    private Path archiveBlob(String ref, Sources.Job job, ProgressReporter progress) {
        CatalogEntry.Archive a = job.archive();
        if (a.sha256() != null && Files.exists(manifests.blob(a.sha256()))) {
            return manifests.blob(a.sha256());
        }
        Downloader.Target t = new Downloader.Target(job.target().urls().getFirst().getPath()
                .substring(job.target().urls().getFirst().getPath().lastIndexOf('/') + 1),
                job.target().urls(), a.sha256(), a.size(), job.target().authorization());
        String key = Manifests.shortHash("archive|" + t.urls().getFirst() + "|" + a.sha256());
        try (FileLockHandle ignored = lock(key)) {
            if (a.sha256() != null && Files.exists(manifests.blob(a.sha256()))) {
                return manifests.blob(a.sha256());
            }
            Downloader.Result r = downloader.download(t, key, progress);
            adopt(r.file(), r.sha256());
            // keep the archive reachable so prune does not drop it while members are in use
            manifests.write(ref + "#archive", List.of(new StoredFile(t.fileName(), r.sha256(), r.size(),
                    r.source().toString(), a.sha256() != null ? "published" : "first-pull", Instant.now(),
                    manifests.blob(r.sha256()))));
            return manifests.blob(r.sha256());
        }
    }

    private Optional<StoredFile> present(String ref, Sources.Job job) {
        Optional<StoredFile> listed = manifests.read(ref).flatMap(files -> files.stream()
                .filter(f -> f.name().equals(job.name())).findFirst());
        if (listed.isPresent()) {
            StoredFile f = listed.get();
            boolean sameContent = job.target().sha256() == null || job.target().sha256().equals(f.sha256());
            if (sameContent && isIntact(f)) {
                return listed;
            }
        }
        if (job.target().sha256() != null && Files.exists(manifests.blob(job.target().sha256()))) {
            Path blob = manifests.blob(job.target().sha256());
            long size = sizeOf(blob);
            return Optional.of(new StoredFile(job.name(), job.target().sha256(), size, job.target().urls().getFirst()
                    .toString(), "published", Instant.now(), blob));
        }
        return Optional.empty();
    }

    private static boolean isIntact(StoredFile f) {
        return Files.exists(f.path()) && sizeOf(f.path()) == f.size();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Moves verified content into blobs/ (atomically); identical content already there wins. */
    private void adopt(Path verified, String sha256) {
        Path blob = manifests.blob(sha256);
        try {
            if (Files.exists(blob)) {
                Files.delete(verified);
            } else {
                Files.move(verified, blob, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new StorageException("cannot move " + verified + " into the cache: " + e.getMessage(), e);
        }
    }

    /** Every pulled reference with its files. */
    public List<Pulled> list() {
        return manifests.all().stream().filter(e -> !e.ref().endsWith("#archive"))
                .map(e -> new Pulled(e.ref(), e.files())).toList();
    }

    public Optional<List<StoredFile>> find(String ref) {
        return manifests.read(ref);
    }

    /** A pulled reference and its files. */
    public record Pulled(String ref, List<StoredFile> files) {
    }

    /** Forgets a reference and deletes the blobs no other reference uses. */
    public boolean remove(String ref) {
        boolean removed = manifests.delete(ref);
        manifests.delete(ref + "#archive");
        if (removed) {
            prune();
        }
        return removed;
    }

    /**
     * Where files made from pulled ones are kept (the int8 OCR models). A derived file's name
     * carries the first 16 hex digits of its source's sha256 between dashes
     * ({@code ppocr-rec-06b3e6af6c59a1ba-int8-v1.onnx}), so that {@link #prune()} can delete it
     * once the source is gone.
     */
    public Path derived() {
        return root.resolve("derived");
    }

    private static final java.util.regex.Pattern DERIVED_SOURCE = java.util.regex.Pattern.compile("-([0-9a-f]{16})-");

    /** What {@link #prune()} removed. */
    public record Pruned(int partials, int blobs, long bytes) {
    }

    /**
     * Deletes unfinished downloads nobody is working on, blobs no reference uses, and derived
     * files whose source blob is gone.
     */
    public Pruned prune() {
        Set<String> used = new HashSet<>();
        manifests.all().forEach(e -> e.files().forEach(f -> used.add("sha256-" + f.sha256())));
        Set<String> sources = new HashSet<>();
        used.forEach(blob -> sources.add(blob.substring("sha256-".length(), "sha256-".length() + 16)));
        int partialCount = 0;
        int blobCount = 0;
        long bytes = 0;
        for (Path p : listDir(partials)) {
            String name = p.getFileName().toString();
            String key = name.substring(0, name.indexOf('.') < 0 ? name.length() : name.indexOf('.'));
            ReentrantLock inProcess = IN_PROCESS.get(key);
            if (inProcess != null && inProcess.isLocked()) {
                continue;
            }
            bytes += sizeOf(p);
            delete(p);
            partialCount++;
        }
        for (Path p : listDir(blobs)) {
            if (!used.contains(p.getFileName().toString())) {
                bytes += sizeOf(p);
                delete(p);
                blobCount++;
            }
        }
        for (Path p : listDir(derived())) {
            java.util.regex.Matcher m = DERIVED_SOURCE.matcher(p.getFileName().toString());
            if (Files.isRegularFile(p) && m.find() && !sources.contains(m.group(1))) {
                bytes += sizeOf(p);
                delete(p);
                blobCount++;
            }
        }
        return new Pruned(partialCount, blobCount, bytes);
    }

    private static List<Path> listDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new StorageException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new StorageException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }

    private void createDirectories() {
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(partials);
            Files.createDirectories(locks);
        } catch (IOException e) {
            throw new StorageException("cannot create the model cache in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Holds both the in-process lock and the cross-process file lock of one key. */
    private record FileLockHandle(ReentrantLock inProcess, FileChannel channel, FileLock fileLock)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                fileLock.release();
                channel.close();
            } catch (IOException ignored) {
                // the OS releases the lock with the channel anyway
            } finally {
                inProcess.unlock();
            }
        }
    }

    private FileLockHandle lock(String key) {
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        inProcess.lock();
        try {
            FileChannel channel = FileChannel.open(locks.resolve(key + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            return new FileLockHandle(inProcess, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            inProcess.unlock();
            throw new StorageException("cannot lock " + locks.resolve(key + ".lock") + ": " + e.getMessage(),
                    e instanceof IOException io ? io : null);
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        http.shutdownNow();
    }
}
