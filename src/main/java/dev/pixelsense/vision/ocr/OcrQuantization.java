package dev.pixelsense.vision.ocr;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The int8 OCR models, made from the published float files by this code ({@link OnnxFusion},
 * {@link OnnxOpset}, {@link OnnxQuantizer}) and calibrated on text it draws itself
 * ({@link OcrCalibration}). Making one takes seconds, so the result is kept in a cache
 * directory under a name holding the source file's SHA-256 and {@link #VERSION}: a changed
 * model or a changed recipe gets a new file, an unchanged one is read back.
 */
final class OcrQuantization {
    /** The recipe's version: bump it whenever the rewrite or the calibration changes. */
    static final int VERSION = 1;
    private static final Logger log = LoggerFactory.getLogger(OcrQuantization.class);

    private OcrQuantization() {
    }

    /** The int8 recognizer for {@code model}, from {@code cacheDir} or made and stored there. */
    static Path recognizer(OrtEnvironment env, Path model, Path cacheDir, int threads) throws IOException, OrtException {
        return cached(model, cacheDir, "rec", source -> quantizeRecognizer(env, source, threads));
    }

    /** The int8 detector for {@code model}, from {@code cacheDir} or made and stored there. */
    static Path detector(OrtEnvironment env, Path model, Path cacheDir, int threads) throws IOException, OrtException {
        return cached(model, cacheDir, "det", source -> quantizeDetector(env, source, threads));
    }

    private interface Maker {
        byte[] make(byte[] source) throws OrtException;
    }

    private static Path cached(Path model, Path cacheDir, String kind, Maker maker) throws IOException, OrtException {
        byte[] source = Files.readAllBytes(model);
        Path cached = cacheDir.resolve("ppocr-" + kind + "-" + sha256(source).substring(0, 16) + "-int8-v" + VERSION
                + ".onnx");
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        long start = System.nanoTime();
        byte[] quantized = maker.make(source);
        try {
            store(cached, quantized);
        } catch (IOException e) {
            // a read-only store: still run int8, made again at the next start
            log.warn("OCR: cannot keep the int8 model in {} ({}); it will be made again next time", cacheDir,
                    e.toString());
            cached = Files.createTempFile("pixelsense-" + kind + "-int8-", ".onnx");
            cached.toFile().deleteOnExit();
            Files.write(cached, quantized);
        }
        log.info("OCR: made {} from {} in {} ms", cached, model.getFileName(), (System.nanoTime() - start) / 1_000_000);
        return cached;
    }

    private static void store(Path cached, byte[] quantized) throws IOException {
        Files.createDirectories(cached.getParent());
        Path partial = Files.createTempFile(cached.getParent(), cached.getFileName().toString(), ".partial");
        try {
            Files.write(partial, quantized);
            Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The recognizer folded, raised to opset 14, calibrated and quantized. */
    static byte[] quantizeRecognizer(OrtEnvironment env, byte[] source, int threads) throws OrtException {
        OnnxModel prepared = prepared(source);
        byte[] calibrating = prepared.bytes();
        List<OcrCalibration.Line> lines = OcrCalibration.lines();
        Map<String, OnnxQuantizer.Range> ranges = ranges(env, calibrating, threads, lines.stream().map(l -> {
            float[] x = TextRecognizer.input(l.image(), l.box());
            return new Input(x, new long[] {1, 3, TextRecognizer.HEIGHT, x.length / (3 * TextRecognizer.HEIGHT)});
        }).toList());
        OnnxModel quantized = OnnxModel.parse(calibrating, "pixelsense.int8.");
        Map<String, Integer> counts = OnnxQuantizer.quantize(quantized, ranges);
        log.debug("OCR: quantized {}", counts);
        return quantized.bytes();
    }

    /** The detector folded, raised to opset 14, calibrated on drawn screens and quantized. */
    static byte[] quantizeDetector(OrtEnvironment env, byte[] source, int threads) throws OrtException {
        byte[] calibrating = prepared(source).bytes();
        Map<String, OnnxQuantizer.Range> ranges = ranges(env, calibrating, threads, OcrCalibration.screens().stream()
                .map(s -> TextDetector.input(s, s.width())).map(i -> new Input(i.chw(), i.shape())).toList());
        OnnxModel quantized = OnnxModel.parse(calibrating, "pixelsense.int8.");
        // the first two Convs see the whole image at full resolution: quantized, they grew the
        // boxes by up to 5 px on light backgrounds; float, worst 4.4 px and 1.7x still
        Set<String> keepFloat = quantized.nodes.stream().filter(n -> n.op.equals("Conv")).limit(2)
                .map(n -> n.out.getFirst()).collect(java.util.stream.Collectors.toSet());
        Map<String, Integer> counts = OnnxQuantizer.quantize(quantized, ranges, keepFloat);
        log.debug("OCR: quantized the detector's {}", counts);
        return quantized.bytes();
    }

    /** Folded ({@link OnnxFusion}), at opset 14, batch normalizations in their Convs: what is calibrated and quantized. */
    static OnnxModel prepared(byte[] source) {
        OnnxModel model = OnnxModel.parse(OnnxFusion.fuse(source).model(), "pixelsense.prepared.");
        OnnxOpset.upgrade(model);
        OnnxQuantizer.foldBatchNorm(model);
        return OnnxModel.parse(model.bytes(), "pixelsense.calibration.");
    }

    /** One calibration input. */
    record Input(float[] x, long[] shape) {
    }

    /** The range of every tensor {@link OnnxQuantizer} asks for, over the inputs run through the float model. */
    static Map<String, OnnxQuantizer.Range> ranges(OrtEnvironment env, byte[] model, int threads, List<Input> inputs)
            throws OrtException {
        OnnxModel observing = OnnxModel.parse(model, "pixelsense.observe.");
        List<String> observed = OnnxQuantizer.observed(observing);
        Set<String> wanted = Set.copyOf(observed);
        observed.stream().filter(t -> !observing.outputs.contains(t)).forEach(observing::addOutput);
        Map<String, OnnxQuantizer.Observed> seen = new HashMap<>();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(threads);
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            try (OrtSession session = env.createSession(observing.bytes(), so)) {
                String name = session.getInputNames().iterator().next();
                for (Input in : inputs) {
                    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.x()), in.shape());
                         OrtSession.Result result = session.run(Map.of(name, x))) {
                        for (Map.Entry<String, OnnxValue> e : result) {
                            if (wanted.contains(e.getKey())) {
                                FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
                                float[] v = new float[b.remaining()];
                                b.get(v);
                                seen.computeIfAbsent(e.getKey(), k -> new OnnxQuantizer.Observed()).add(v);
                            }
                        }
                    }
                }
            }
        }
        Map<String, OnnxQuantizer.Range> ranges = new HashMap<>();
        seen.forEach((t, o) -> ranges.put(t, o.range()));
        return ranges;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
