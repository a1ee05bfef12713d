package dev.pixelsense.vision.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 PP-OCRv4 models against the published ones: the opset rewrite computes the same
 * thing, ONNX Runtime really runs integer kernels, the quantized recognizer reads rendered lines
 * as the float one does, and the cache makes each model once.
 */
class OnnxQuantizerTest {
    static final OrtEnvironment env = OrtEnvironment.getEnvironment();
    static OcrModels models;
    static byte[] int8Recognizer;

    @BeforeAll
    static void quantize() throws Exception {
        models = OcrTestSupport.models();
        int8Recognizer = OcrQuantization.quantizeRecognizer(env, Files.readAllBytes(models.recognizer()), 2);
    }

    @Test
    void should_raise_the_recognizer_to_opset_14_without_changing_what_it_computes() throws Exception {
        byte[] published = Files.readAllBytes(models.recognizer());
        OnnxModel model = OnnxModel.parse(published, "test.");
        OnnxOpset.upgrade(model);
        float[] x = OnnxFusionTest.renderedLine(320);
        long[] shape = {1, 3, 48, 320};

        byte[] raised = model.bytes();

        assertThat(OnnxModel.parse(raised, "check.").opset).isEqualTo(14);
        assertThat(OnnxModel.parse(raised, "check.").nodes).noneMatch(n -> n.op.equals("Slice") && n.in.size() == 1);
        OnnxFusionTest.assertSame(OnnxFusionTest.run(published, x, shape), OnnxFusionTest.run(raised, x, shape), 6625);
    }

    @Test
    void should_run_the_quantized_recognizer_on_integer_kernels(@TempDir Path dir) throws Exception {
        Path optimized = dir.resolve("optimized.onnx");
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setOptimizedModelFilePath(optimized.toString());
            env.createSession(int8Recognizer, so).close();
        }

        Map<String, Integer> ops = new TreeMap<>();
        OnnxModel.parse(Files.readAllBytes(optimized), "check.").nodes.forEach(n -> ops.merge(n.op, 1, Integer::sum));

        System.out.println("int8 recognizer as ONNX Runtime runs it: " + ops);
        assertThat(ops).containsEntry("QLinearConv", 38).doesNotContainKey("Conv").doesNotContainKey("HardSigmoid");
        assertThat(ops.getOrDefault("QLinearMul", 0)).isGreaterThanOrEqualTo(2 * 28); // hard-swish: gate and product
        assertThat(ops.getOrDefault("QuantizeLinear", 0)).isLessThanOrEqualTo(4); // uint8 from Conv to Conv
    }

    @Test
    void should_read_rendered_lines_as_the_float_recognizer_does() throws Exception {
        CtcDecoder decoder = CtcDecoder.load(models.keys());
        List<String> different = new ArrayList<>();
        int lines = 0;
        try (OrtSession float32 = env.createSession(TextRecognizer.withBestClass(
                     OnnxFusion.fuse(Files.readAllBytes(models.recognizer())).model()));
             OrtSession int8 = env.createSession(TextRecognizer.withBestClass(int8Recognizer))) {
            for (TextScene scene : List.of(TextScene.columns("SansSerif", TextScene.Theme.LIGHT),
                    TextScene.columns("Monospaced", TextScene.Theme.DARK))) {
                OcrImage image = OcrImage.of(scene.image());
                for (TextScene.Drawn d : scene.drawn()) {
                    RotatedBox box = new RotatedBox(d.x() + d.width() / 2.0, d.top() + d.height() / 2.0, 1, 0,
                            d.width(), d.height());
                    float[] x = TextRecognizer.input(image, box);
                    String expected = read(decoder, float32, x), read = read(decoder, int8, x);
                    lines++;
                    if (!read.equals(expected)) {
                        different.add("'" + expected + "' -> '" + read + "'");
                    }
                }
            }
        }

        System.out.printf("int8 vs float recognizer: %d of %d lines read differently: %s%n", different.size(), lines,
                different);
        assertThat(different.size()).as("lines read differently: %s", different).isLessThanOrEqualTo(lines / 25);
    }

    @Test
    void should_make_the_int8_model_once_and_read_it_back_after(@TempDir Path dir) throws Exception {
        Path made = OcrQuantization.recognizer(env, models.recognizer(), dir, 2);
        long written = Files.getLastModifiedTime(made).toMillis();

        Path again = OcrQuantization.recognizer(env, models.recognizer(), dir, 2);

        String sha = OcrQuantization.sha256(Files.readAllBytes(models.recognizer()));
        assertThat(made.getFileName().toString()).contains(sha.substring(0, 16)).endsWith("-int8-v"
                + OcrQuantization.VERSION + ".onnx");
        assertThat(again).isEqualTo(made);
        assertThat(Files.getLastModifiedTime(again).toMillis()).isEqualTo(written);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(made); // no partial file left behind
        }
        assertThat(Files.readAllBytes(made)).isEqualTo(int8Recognizer); // the same calibration every time
    }

    @Test
    void should_still_make_the_int8_model_when_the_cache_cannot_be_written(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("derived"), "a file where the cache directory would be");

        Path made = OcrQuantization.recognizer(env, models.recognizer(), notADirectory, 2);

        assertThat(made.startsWith(dir)).as("made outside the unwritable directory: %s", made).isFalse();
        assertThat(Files.readAllBytes(made)).isEqualTo(int8Recognizer);
    }

    @Test
    void should_clip_a_rare_outlier_but_keep_a_range_that_is_used() {
        OnnxQuantizer.Observed outlier = new OnnxQuantizer.Observed();
        OnnxQuantizer.Observed uniform = new OnnxQuantizer.Observed();
        float[] values = new float[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 200) / 100f - 1; // -1 .. 0.99
        }
        uniform.add(values);
        values[5000] = 100;
        outlier.add(values);

        assertThat(uniform.range().max()).isGreaterThan(0.98f);
        assertThat(uniform.range().min()).isLessThanOrEqualTo(-1f);
        assertThat(outlier.range().max()).isLessThan(100f);
    }

    /** The line's text, without the spaces at its ends (LineAssembler drops them too). */
    private static String read(CtcDecoder decoder, OrtSession session, float[] x) throws Exception {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, 48, x.length / (3 * 48)});
             OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), in))) {
            long[] best = longs((OnnxTensor) r.get(TextRecognizer.BEST).orElseThrow());
            FloatBuffer out = ((OnnxTensor) r.get(TextRecognizer.BEST_P).orElseThrow()).getFloatBuffer();
            float[] p = new float[out.remaining()];
            out.get(p);
            StringBuilder text = new StringBuilder();
            decoder.decode(best, p, 0, best.length).forEach(c -> text.append(c.text()));
            return text.toString().strip();
        }
    }

    static long[] longs(OnnxTensor t) throws Exception {
        java.nio.LongBuffer b = t.getLongBuffer();
        long[] v = new long[b.remaining()];
        b.get(v);
        return v;
    }

    @Test
    void should_give_each_steps_most_probable_class_and_its_probability_as_the_softmax_does() throws Exception {
        float[] x = OnnxFusionTest.renderedLine(480);
        for (byte[] model : List.of(Files.readAllBytes(models.recognizer()), int8Recognizer)) {
            try (OrtSession session = env.createSession(TextRecognizer.withBestClass(model));
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, 48, 480});
                 OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), in))) {
                FloatBuffer all = ((OnnxTensor) r.get(0)).getFloatBuffer();
                long[] best = longs((OnnxTensor) r.get(TextRecognizer.BEST).orElseThrow());
                FloatBuffer bestP = ((OnnxTensor) r.get(TextRecognizer.BEST_P).orElseThrow()).getFloatBuffer();
                int classes = all.remaining() / best.length;
                assertThat(classes).isEqualTo(6625);
                int letters = 0;
                for (int t = 0; t < best.length; t++) {
                    int winner = 0;
                    for (int c = 1; c < classes; c++) {
                        if (all.get(t * classes + c) > all.get(t * classes + winner)) {
                            winner = c;
                        }
                    }
                    assertThat(best[t]).as("step %d", t).isEqualTo(winner);
                    assertThat(bestP.get(t)).as("step %d", t).isEqualTo(all.get(t * classes + winner));
                    letters += winner == 0 ? 0 : 1;
                }
                assertThat(letters).as("steps that read a character").isGreaterThan(10);
            }
        }
    }
}
