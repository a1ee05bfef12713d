package dev.pixelsense.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixelsense.config.CatalogEntry;
import dev.pixelsense.config.StoreConfig;
import dev.pixelsense.error.NotFoundException;
import dev.pixelsense.error.StorageException;
import dev.pixelsense.error.UpstreamException;
import dev.pixelsense.testing.FakeFileServer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store against a file server that misbehaves on purpose. Every case ends with a verified file
 * or a clear error, and never with wrong bytes in {@code blobs/}.
 */
class ModelStoreTest {
    private static final byte[] CONTENT = random(3 * 1024 * 1024 + 123);
    private static final String SHA = sha256(CONTENT);

    @TempDir
    Path dir;
    private FakeFileServer server;
    private final List<PullProgress> progress = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new FakeFileServer();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private ModelStore store(List<CatalogEntry> catalog, Map<String, String> env, Downloader.Settings settings) {
        return new ModelStore(new StoreConfig(dir, catalog), List.of(), env::get, settings);
    }

    private ModelStore store() {
        return store(List.of(), Map.of(), fast());
    }

    private static Downloader.Settings fast() {
        Downloader.Settings d = Downloader.Settings.defaults();
        return new Downloader.Settings(Duration.ofMillis(500), 3, Duration.ofMillis(10), 0, d.opener());
    }

    private void assertOnlyVerifiedBlobs() throws IOException {
        try (Stream<Path> blobs = Files.list(dir.resolve("blobs"))) {
            for (Path b : blobs.toList()) {
                assertThat("sha256-" + sha256(Files.readAllBytes(b))).isEqualTo(b.getFileName().toString());
            }
        }
    }

    @Test
    void should_pull_a_url_into_a_content_addressed_blob_and_reuse_it() throws Exception {
        server.on("/m.gguf", FakeFileServer.file(CONTENT, "\"v1\""));
        try (ModelStore store = store()) {
            List<StoredFile> files = store.pull(server.url() + "/m.gguf#sha256=" + SHA, progress::add);

            assertThat(files).singleElement().satisfies(f -> {
                assertThat(f.sha256()).isEqualTo(SHA);
                assertThat(f.path()).isEqualTo(dir.resolve("blobs/sha256-" + SHA));
                assertThat(f.verified()).isEqualTo("published");
            });
            assertThat(Files.readAllBytes(files.getFirst().path())).isEqualTo(CONTENT);
            assertThat(progress).extracting(PullProgress::status).contains("resolving", "downloading", "done");

            store.pull(server.url() + "/m.gguf#sha256=" + SHA, progress::add);
            assertThat(server.gets("/m.gguf")).hasSize(1);
            assertThat(progress.getLast().status()).isEqualTo("exists");
        }
        assertOnlyVerifiedBlobs();
    }

    @Test
    void should_resume_after_a_disconnect_mid_body() throws Exception {
        server.on("/m.gguf", FakeFileServer.cutOnce(CONTENT, "\"v1\"", 1_000_000));
        try (ModelStore store = store()) {
            List<StoredFile> files = store.pull(server.url() + "/m.gguf#sha256=" + SHA, progress::add);
            assertThat(files.getFirst().sha256()).isEqualTo(SHA);
        }
        List<FakeFileServer.Request> gets = server.gets("/m.gguf");
        assertThat(gets).hasSize(2);
        // the client may lose the last buffer before a premature EOF: it resumes from what it wrote
        long resumedAt = Long.parseLong(gets.get(1).header("range").replaceAll("[^0-9]", ""));
        assertThat(resumedAt).isBetween(500_000L, 1_000_000L);
        assertThat(gets.get(1).header("if-range")).isEqualTo("\"v1\"");
        assertThat(progress).anySatisfy(p -> assertThat(p.message()).isEqualTo("resuming at byte " + resumedAt));
        assertOnlyVerifiedBlobs();
    }

    @Test
    void should_reconnect_after_a_stall_and_finish() throws Exception {
        server.on("/m.gguf", FakeFileServer.stallOnce(CONTENT, "\"v1\"", 500_000, Duration.ofSeconds(5)));
        try (ModelStore store = store()) {
            assertThat(store.pull(server.url() + "/m.gguf#sha256=" + SHA, progress::add).getFirst().sha256())
                    .isEqualTo(SHA);
        }
        long resumedAt = Long.parseLong(server.gets("/m.gguf").get(1).header("range").replaceAll("[^0-9]", ""));
        assertThat(resumedAt).as("resumed from what had been written before the stall").isBetween(1L, 500_000L);
    }

    @Test
    void should_reject_wrong_bytes_naming_both_hashes_and_the_source() throws Exception {
        byte[] tampered = CONTENT.clone();
        tampered[12345] ^= 1;
        server.on("/m.gguf", FakeFileServer.file(tampered, "\"v1\""));
        try (ModelStore store = store()) {
            assertThatThrownBy(() -> store.pull(server.url() + "/m.gguf#sha256=" + SHA, progress::add))
                    .isInstanceOf(UpstreamException.class)
                    .hasMessageContaining("expected " + SHA)
                    .hasMessageContaining("got " + sha256(tampered))
                    .hasMessageContaining(server.url() + "/m.gguf");
        }
        assertThat(listing("blobs")).isEmpty();
        assertThat(listing("partial")).isEmpty();
        assertThat(listing("manifests")).isEmpty();
    }

    @Test
    void should_try_mirrors_in_order_after_404_and_500() throws Exception {
        server.on("/a/m.gguf", FakeFileServer.status(404))
                .on("/b/m.gguf", FakeFileServer.status(500))
                .on("/c/m.gguf", FakeFileServer.file(CONTENT, "\"v1\""));
        CatalogEntry entry = new CatalogEntry("tiny", "a test model", null, List.of(new CatalogEntry.File("m.gguf",
                List.of(server.url() + "/a/m.gguf", server.url() + "/b/m.gguf", server.url() + "/c/m.gguf"), SHA,
                (long) CONTENT.length, null)));
        try (ModelStore store = store(List.of(entry), Map.of(), fast())) {
            StoredFile f = store.pull("tiny", progress::add).getFirst();
            assertThat(f.sha256()).isEqualTo(SHA);
            assertThat(f.source()).isEqualTo(server.url() + "/c/m.gguf");
        }
        assertThat(server.gets("/a/m.gguf")).hasSize(1);
        assertThat(server.gets("/b/m.gguf")).hasSize(1);
    }

    @Test
    void should_say_not_found_when_no_source_has_the_file() throws Exception {
        try (ModelStore store = store()) {
            assertThatThrownBy(() -> store.pull(server.url() + "/missing.gguf", progress::add))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("404");
            assertThatThrownBy(() -> store.pull("no-such-entry", progress::add))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("not in the catalog");
        }
    }

    @Test
    void should_start_over_on_416_for_a_stale_partial() throws Exception {
        server.on("/m.gguf", FakeFileServer.file(CONTENT, "\"v1\""));
        String ref = server.url() + "/m.gguf#sha256=" + SHA;
        writePartial(ref, random(CONTENT.length + 10), "\"v1\"");
        try (ModelStore store = store()) {
            assertThat(store.pull(ref, progress::add).getFirst().sha256()).isEqualTo(SHA);
        }
        List<FakeFileServer.Request> gets = server.gets("/m.gguf");
        assertThat(gets.getFirst().header("range")).isEqualTo("bytes=" + (CONTENT.length + 10) + "-");
        assertThat(gets.getLast().header("range")).isNull();
        assertOnlyVerifiedBlobs();
    }

    @Test
    void should_start_over_cleanly_when_the_server_ignores_range() throws Exception {
        server.on("/m.gguf", FakeFileServer.noRange(CONTENT));
        String ref = server.url() + "/m.gguf#sha256=" + SHA;
        writePartial(ref, java.util.Arrays.copyOf(CONTENT, 700_000), null);
        try (ModelStore store = store()) {
            assertThat(store.pull(ref, progress::add).getFirst().sha256()).isEqualTo(SHA);
        }
        assertThat(server.gets("/m.gguf")).hasSize(1);
        assertOnlyVerifiedBlobs();
    }

    @Test
    void should_discard_a_partial_of_a_file_that_changed_upstream() throws Exception {
        byte[] newer = random(CONTENT.length);
        server.on("/m.gguf", FakeFileServer.file(newer, "\"v2\""));
        String ref = server.url() + "/m.gguf";
        writePartial(ref, java.util.Arrays.copyOf(CONTENT, 1_500_000), "\"v1\"");
        try (ModelStore store = store()) {
            StoredFile f = store.pull(ref, progress::add).getFirst();
            assertThat(f.sha256()).isEqualTo(sha256(newer));
            assertThat(f.verified()).isEqualTo("first-pull");
            assertThat(Files.readAllBytes(f.path())).isEqualTo(newer);
        }
        assertThat(server.gets("/m.gguf").getFirst().header("if-range")).isEqualTo("\"v1\"");
    }

    @Test
    void should_never_forward_authorization_to_another_host() throws Exception {
        String blobPath = "/cdn/blob";
        server.on("/org/repo/resolve/main/model.gguf", FakeFileServer.redirect(server.otherHostUrl() + blobPath,
                        Map.of("X-Linked-Etag", "\"" + SHA + "\"", "X-Linked-Size", Integer.toString(CONTENT.length))))
                .on(blobPath, FakeFileServer.file(CONTENT, "\"v1\""));
        Map<String, String> env = Map.of("HF_ENDPOINT", server.url(), "HF_TOKEN", "hf_secret_token");
        try (ModelStore store = store(List.of(), env, fast())) {
            StoredFile f = store.pull("hf://org/repo/model.gguf", progress::add).getFirst();
            assertThat(f.sha256()).isEqualTo(SHA);
            assertThat(f.verified()).isEqualTo("published");
        }
        List<FakeFileServer.Request> resolve = server.requests().stream()
                .filter(r -> r.path().startsWith("/org/repo/resolve")).toList();
        assertThat(resolve).extracting(FakeFileServer.Request::method).containsExactly("HEAD", "GET");
        assertThat(resolve).allSatisfy(r -> assertThat(r.header("authorization")).isEqualTo("Bearer hf_secret_token"));
        assertThat(server.gets(blobPath)).singleElement()
                .satisfies(r -> {
                    assertThat(r.header("host")).startsWith("localhost");
                    assertThat(r.header("authorization")).isNull();
                });
    }

    @Test
    void should_download_once_when_two_pulls_race() throws Exception {
        server.on("/m.gguf", FakeFileServer.slow(CONTENT, "\"v1\"", 400));
        String ref = server.url() + "/m.gguf#sha256=" + SHA;
        try (ModelStore a = store(); ModelStore b = store();
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<StoredFile>> first = pool.submit(() -> a.pull(ref, PullProgress.Listener.NONE));
            Future<List<StoredFile>> second = pool.submit(() -> b.pull(ref, PullProgress.Listener.NONE));
            assertThat(first.get().getFirst().sha256()).isEqualTo(SHA);
            assertThat(second.get().getFirst().sha256()).isEqualTo(SHA);
        }
        assertThat(server.gets("/m.gguf")).hasSize(1);
    }

    @Test
    void should_keep_the_partial_and_say_so_when_the_disk_is_full() throws Exception {
        server.on("/m.gguf", FakeFileServer.file(CONTENT, "\"v1\""));
        Downloader.Settings full = new Downloader.Settings(Duration.ofSeconds(5), 3, Duration.ofMillis(10), 0,
                path -> new DiskFull(Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                        1_000_000));
        try (ModelStore store = store(List.of(), Map.of(), full)) {
            assertThatThrownBy(() -> store.pull(server.url() + "/m.gguf#sha256=" + SHA, progress::add))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("No space left on device")
                    .hasMessageContaining("resumes on the next pull");
        }
        assertThat(listing("blobs")).isEmpty();
        assertThat(listing("partial")).anySatisfy(p -> assertThat(p).endsWith(".partial"));

        try (ModelStore store = store()) {
            assertThat(store.pull(server.url() + "/m.gguf#sha256=" + SHA, progress::add).getFirst().sha256())
                    .isEqualTo(SHA);
        }
        assertThat(server.gets("/m.gguf").getLast().header("range")).startsWith("bytes=");
        assertOnlyVerifiedBlobs();
    }

    @Test
    void should_remove_and_prune_unreferenced_files() throws Exception {
        server.on("/a.gguf", FakeFileServer.file(CONTENT, "\"a\""));
        try (ModelStore store = store()) {
            String ref = server.url() + "/a.gguf";
            store.pull(ref, progress::add);
            Files.writeString(dir.resolve("partial/orphan.partial"), "half");
            assertThat(store.list()).extracting(ModelStore.Pulled::ref).containsExactly(ref);

            // files made from a.gguf (as the int8 OCR models are), and one whose source is long gone
            Files.createDirectories(store.derived());
            Files.writeString(store.derived().resolve("made-" + SHA.substring(0, 16) + "-v1.bin"), "kept");
            Files.writeString(store.derived().resolve("made-0123456789abcdef-v1.bin"), "stale");

            ModelStore.Pruned pruned = store.prune();
            assertThat(pruned.partials()).isEqualTo(1);
            assertThat(pruned.blobs()).isEqualTo(1);
            assertThat(listing("derived")).containsExactly("made-" + SHA.substring(0, 16) + "-v1.bin");

            assertThat(store.remove(ref)).isTrue();
            assertThat(store.list()).isEmpty();
            assertThat(listing("blobs")).isEmpty();
            assertThat(listing("derived")).isEmpty();
            assertThat(store.remove(ref)).isFalse();
        }
    }

    /** Puts a partial download where the store keeps the one for {@code ref}'s only URL. */
    private void writePartial(String ref, byte[] bytes, String etag) throws IOException {
        ModelRef parsed = ModelRef.parse(ref);
        java.net.URI url = ((ModelRef.Url) parsed).uri();
        String sha = ((ModelRef.Url) parsed).pinnedSha256();
        String key = Manifests.shortHash(url + "|" + sha + "|");
        Files.createDirectories(dir.resolve("partial"));
        Files.write(dir.resolve("partial/" + key + ".partial"), bytes);
        Files.writeString(dir.resolve("partial/" + key + ".partial.json"),
                "{\"url\":\"" + url + "\",\"etag\":" + (etag == null ? "null" : "\"" + etag.replace("\"", "\\\"") + "\"")
                        + ",\"last_modified\":null}");
    }

    private List<String> listing(String sub) throws IOException {
        Path p = dir.resolve(sub);
        if (!Files.isDirectory(p)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Fails like a full disk once {@code limit} bytes were written through it. */
    private static final class DiskFull extends FilterOutputStream {
        private long left;

        DiskFull(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                throw new IOException("No space left on device");
            }
            out.write(b, off, len);
            left -= len;
        }
    }
}
