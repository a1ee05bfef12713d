package dev.pixelsense.vision.ocr;

import dev.pixelsense.error.UnavailableException;
import dev.pixelsense.store.ModelStore;
import dev.pixelsense.store.PullProgress;
import dev.pixelsense.store.StoredFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the PP-OCRv4 files are: the detection model, the recognition model and its character list,
 * and the directory where files made from them are kept (the int8 models, {@code OcrQuantization}).
 * OCR never downloads anything; {@code pixelsense pull ppocr-v4} puts the files in the store.
 */
public record OcrModels(Path detector, Path recognizer, Path keys, Path derived) {
    /** Files made from the models go next to the recognizer. */
    public OcrModels(Path detector, Path recognizer, Path keys) {
        this(detector, recognizer, keys, recognizer.toAbsolutePath().getParent());
    }

    /** The model store's catalog name of the files. */
    public static final String CATALOG_NAME = "ppocr-v4";
    public static final String DETECTOR_FILE = "ch_PP-OCRv4_det_infer.onnx";
    public static final String RECOGNIZER_FILE = "ch_PP-OCRv4_rec_infer.onnx";
    public static final String KEYS_FILE = "ppocr_keys_v1.txt";

    /**
     * The files pulled into a model store.
     *
     * @throws UnavailableException when {@code ppocr-v4} was not pulled, saying how to pull it
     */
    public static OcrModels fromStore(ModelStore store) {
        List<StoredFile> files = store.find(CATALOG_NAME).orElseThrow(() -> new UnavailableException(
                "the OCR models are not pulled yet: run 'pixelsense pull " + CATALOG_NAME + "'"));
        return new OcrModels(file(files, DETECTOR_FILE), file(files, RECOGNIZER_FILE), file(files, KEYS_FILE),
                store.derived());
    }

    /**
     * After a pull of {@value #CATALOG_NAME}: makes what OCR makes on first use (the int8
     * recognizer, 12-15 s once, cached in the store's {@code derived/}) now, where a wait is
     * expected, so the first OCR call does not pay it. Reports "preparing" and then "prepared" to
     * {@code listener}; a failure is reported, not thrown (the pulled files are fine, and OCR tries
     * again on first use). Any other reference: nothing to do.
     */
    public static void prepareAfterPull(ModelStore store, String ref, PullProgress.Listener listener) {
        if (!CATALOG_NAME.equals(ref)) {
            return;
        }
        listener.on(new PullProgress(ref, null, "preparing", 0, -1, 0, -1,
                "making the int8 OCR recognizer (once, about 15 s)"));
        long start = System.nanoTime();
        String outcome;
        try (Ocr ignored = Ocr.open(fromStore(store))) {
            outcome = "OCR ready (" + (System.nanoTime() - start) / 1_000_000 + " ms)";
        } catch (RuntimeException e) {
            outcome = "not prepared: " + e.getMessage() + " (OCR tries again on first use)";
        }
        listener.on(new PullProgress(ref, null, "prepared", 0, -1, 0, -1, outcome));
    }

    /** The three files under their usual names in one directory (e.g. an unpacked npm package). */
    public static OcrModels inDirectory(Path dir) {
        return new OcrModels(dir.resolve(DETECTOR_FILE), dir.resolve(RECOGNIZER_FILE), dir.resolve(KEYS_FILE));
    }

    /** @throws UnavailableException naming the first file that is not a readable file */
    public OcrModels requireReadable() {
        for (Path p : List.of(detector, recognizer, keys)) {
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new UnavailableException("OCR model file not found: " + p + " (run 'pixelsense pull "
                        + CATALOG_NAME + "', or 'pixelsense models prune' and pull again if the cache was changed)");
            }
        }
        return this;
    }

    private static Path file(List<StoredFile> files, String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst().map(StoredFile::path)
                .orElseThrow(() -> new UnavailableException("the pulled '" + CATALOG_NAME + "' has no " + name
                        + ": run 'pixelsense models rm " + CATALOG_NAME + "' and 'pixelsense pull " + CATALOG_NAME + "'"));
    }
}
