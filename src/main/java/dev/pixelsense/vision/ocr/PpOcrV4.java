package dev.pixelsense.vision.ocr;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.pixelsense.error.UnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Ocr} with PP-OCRv4 on ONNX Runtime: two sessions created once, calls serialized by a fair
 * lock (see the threading contract on {@link Ocr}).
 *
 * <p>Threads: detection is one large image, so its session uses {@code threads} intra-op threads.
 * Recognition is many small crops, where intra-op threads mostly wait on each other (2 threads
 * read 30 lines in 1.4-1.9 s, 1 thread in 1.7-1.9 s), so its session is single-threaded and the
 * crops run on a pool of {@code threads} workers instead (1.06-1.19 s).
 */
final class PpOcrV4 implements Ocr {
    private static final Logger log = LoggerFactory.getLogger(PpOcrV4.class);

    private final ReentrantLock lock = new ReentrantLock(true);
    private final OrtSession detection;
    private final OrtSession recognition;
    private final TextDetector detector;
    private final TextRecognizer recognizer;
    private final OcrOptions options;
    private final ExecutorService pool;
    private final ChangedRows changedRows; // null when the cache is off: every call reads everything
    private boolean closed;

    private PpOcrV4(OrtEnvironment env, OrtSession detection, OrtSession recognition, CtcDecoder decoder,
                    OcrOptions options) throws OrtException {
        this.detection = detection;
        this.recognition = recognition;
        this.options = options;
        this.pool = Executors.newFixedThreadPool(options.threads(), Thread.ofPlatform().name("ocr-", 1).daemon()
                .factory());
        this.detector = new TextDetector(env, detection, options);
        this.changedRows = options.cacheSize() > 0 ? new ChangedRows() : null;
        try {
            this.recognizer = new TextRecognizer(env, recognition, decoder, options, pool);
        } catch (OrtException | RuntimeException e) {
            pool.shutdown();
            throw e;
        }
    }

    static PpOcrV4 open(OcrModels models, OcrOptions options) {
        models.requireReadable();
        long start = System.nanoTime();
        CtcDecoder decoder = CtcDecoder.load(models.keys());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Loaded det = load(env, models.detector(), options.int8() == OcrOptions.Int8.BOTH, options.threads(),
                () -> OcrQuantization.detector(env, models.detector(), models.derived(), options.threads()),
                UnaryOperator.identity());
        try {
            Loaded rec = load(env, models.recognizer(), options.int8() != OcrOptions.Int8.OFF, 1,
                    () -> OcrQuantization.recognizer(env, models.recognizer(), models.derived(), options.threads()),
                    TextRecognizer::withBestClass);
            PpOcrV4 ocr;
            try {
                ocr = new PpOcrV4(env, det.session(), rec.session(), decoder, options);
            } catch (OrtException | RuntimeException e) {
                closeQuietly(rec.session());
                throw e instanceof RuntimeException r ? r
                        : new UnavailableException("cannot load the OCR recognizer: " + e.getMessage(), e);
            }
            log.info("OCR: PP-OCRv4 on ONNX Runtime {} (CPU; {} detector on {} threads, {} recognizer on {} workers), "
                    + "loaded in {} ms", env.getVersion(), det.variant(), options.threads(), rec.variant(),
                    options.threads(), (System.nanoTime() - start) / 1_000_000);
            return ocr;
        } catch (RuntimeException e) {
            closeQuietly(det.session());
            throw e;
        }
    }

    private record Loaded(OrtSession session, String variant) {
    }

    private interface Quantized {
        Path file() throws IOException, OrtException;
    }

    /**
     * The int8 model unless turned off or it cannot be made here; then the float one, folded.
     * {@code edit} is applied to either before the session is made.
     */
    private static Loaded load(OrtEnvironment env, Path model, boolean wanted, int threads, Quantized quantized,
                               UnaryOperator<byte[]> edit) {
        if (wanted) {
            try {
                Path int8 = quantized.file();
                return new Loaded(session(env, int8, edit.apply(Files.readAllBytes(int8)), threads),
                        "int8 (" + int8.getFileName() + ")");
            } catch (IOException | OrtException | RuntimeException e) {
                log.warn("OCR: no int8 version of {}, running the float one: {}", model.getFileName(), e.toString());
            }
        }
        byte[] bytes;
        try {
            bytes = edit.apply(fused(model));
        } catch (IllegalArgumentException e) {
            throw new UnavailableException("cannot load the OCR model " + model + ": " + e.getMessage()
                    + " (pull it again: 'pixelsense models rm " + OcrModels.CATALOG_NAME + "', then 'pixelsense pull "
                    + OcrModels.CATALOG_NAME + "')", e);
        }
        return new Loaded(session(env, model, bytes, threads), "float");
    }

    private static OrtSession session(OrtEnvironment env, Path model, byte[] bytes, int threads) {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            // ONNX Runtime's pool spins between operators by default. On a machine shared with other
            // work a spinning thread holds a core the thread it waits for needs: measured on 2 busy
            // cores, recognition took 2-3x longer with spinning than without.
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            return env.createSession(bytes, so);
        } catch (OrtException e) {
            throw new UnavailableException("cannot load the OCR model " + model + ": " + e.getMessage()
                    + " (pull it again: 'pixelsense models rm " + OcrModels.CATALOG_NAME + "', then 'pixelsense pull "
                    + OcrModels.CATALOG_NAME + "')", e);
        }
    }

    /**
     * The model with its element-wise chains folded ({@link OnnxFusion}: a third less CPU per
     * recognized line, about a fifth less for detection, the same readings); the file's own bytes
     * if it has nothing to fold or cannot be parsed (ONNX Runtime then says what is wrong with it).
     */
    private static byte[] fused(Path model) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
        } catch (IOException e) {
            throw new UnavailableException("cannot read the OCR model " + model + ": " + e.getMessage(), e);
        }
        try {
            OnnxFusion.Result result = OnnxFusion.fuse(bytes);
            log.debug("OCR: {} folded {}", model.getFileName(), result.folded());
            return result.folded().isEmpty() ? bytes : result.model();
        } catch (RuntimeException e) {
            log.warn("OCR: {} loaded as it is, its operators could not be folded: {}", model.getFileName(),
                    e.toString());
            return bytes;
        }
    }

    @Override
    public OcrResult recognize(int[] pixels, int width, int height) {
        OcrImage image = new OcrImage(pixels, width, height);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this OCR instance is closed");
            }
            long start = System.nanoTime();
            List<DbPostProcessor.Detected> boxes = changedRows == null ? detector.detect(image)
                    : changedRows.detect(detector, image, options.maxSide());
            long detected = System.nanoTime();
            List<TextRecognizer.Read> reads = recognizer.read(image, boxes.stream().map(DbPostProcessor.Detected::box)
                    .toList());
            List<OcrLine> lines = LineAssembler.lines(reads, options.minConfidence(), width, height);
            long done = System.nanoTime();
            return new OcrResult(width, height, lines, Duration.ofNanos(detected - start),
                    Duration.ofNanos(done - detected));
        } catch (OrtException e) {
            throw new IllegalStateException("OCR inference failed on a " + width + "x" + height + " image: "
                    + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Rows the last call detected again; -1 when it detected the whole image (for tests). */
    int rowsDetectedLastCall() {
        lock.lock();
        try {
            return changedRows == null ? -1 : changedRows.rowsDetected();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                pool.shutdownNow(); // idle: calls hold the lock, and this one waited for it
                closeQuietly(detection);
                closeQuietly(recognition);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            log.warn("closing an OCR session failed: {}", e.getMessage());
        }
    }
}
