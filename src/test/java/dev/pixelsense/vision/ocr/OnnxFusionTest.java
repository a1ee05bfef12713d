package dev.pixelsense.vision.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The folded PP-OCRv4 models against the published ones, on real rendered text: the same
 * probabilities up to float rounding, with the element-wise chains gone.
 */
class OnnxFusionTest {
    static OcrModels models;
    static final OrtEnvironment env = OrtEnvironment.getEnvironment();

    @BeforeAll
    static void models() throws Exception {
        models = OcrTestSupport.models();
    }

    @Test
    void should_write_an_untouched_message_back_byte_for_byte() throws Exception {
        byte[] model = Files.readAllBytes(models.recognizer());
        Protobuf.Writer w = new Protobuf.Writer();
        Protobuf.parse(model).forEach(w::field);

        assertThat(w.toBytes()).isEqualTo(model);
    }

    @Test
    void should_fold_every_affine_block_and_hard_swish_of_both_models() throws Exception {
        OnnxFusion.Result rec = OnnxFusion.fuse(Files.readAllBytes(models.recognizer()));
        OnnxFusion.Result det = OnnxFusion.fuse(Files.readAllBytes(models.detector()));

        // PP-LCNetV3 in both: 28 blocks of Conv + affine + hard-swish (+ affine)
        assertThat(rec.folded()).containsEntry("hard-swish", 28).containsEntry("Conv then Mul and Add by scalars", 28);
        assertThat(det.folded()).containsEntry("hard-swish", 24).containsEntry("Conv then Mul and Add by scalars", 28);
        assertThat(rec.model().length).isLessThan((int) Files.size(models.recognizer()) * 2);
    }

    @Test
    void should_give_the_recognizer_the_same_probabilities_on_a_rendered_line() throws Exception {
        int width = 480;
        float[] x = renderedLine(width);

        float[] published = run(Files.readAllBytes(models.recognizer()), x, new long[] {1, 3, 48, width});
        float[] folded = run(OnnxFusion.fuse(Files.readAllBytes(models.recognizer())).model(), x,
                new long[] {1, 3, 48, width});

        assertSame(published, folded, 6625);
    }

    @Test
    void should_give_the_detector_the_same_map_on_a_rendered_screen() throws Exception {
        BufferedImage image = TextScene.columns("Serif", TextScene.Theme.DARK).image();
        int w = 640, h = 352; // the top-left quarter: enough lines, a quarter of the time
        float[] x = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int i = 0; i < w; i++) {
                int rgb = image.getRGB(i, y);
                for (int c = 0; c < 3; c++) {
                    x[c * w * h + y * w + i] = (((rgb >> (8 * c)) & 0xFF) / 255f - 0.45f) / 0.225f;
                }
            }
        }

        float[] published = run(Files.readAllBytes(models.detector()), x, new long[] {1, 3, h, w});
        float[] folded = run(OnnxFusion.fuse(Files.readAllBytes(models.detector())).model(), x, new long[] {1, 3, h, w});

        assertThat(published.length).isEqualTo(w * h);
        assertSame(published, folded, 1);
    }

    /** The first line of a rendered scene as the recognizer's input, {@code width} columns. */
    static float[] renderedLine(int width) {
        TextScene scene = TextScene.columns("SansSerif", TextScene.Theme.LIGHT);
        TextScene.Drawn line = scene.drawn().getFirst();
        float[] x = new float[3 * 48 * width];
        BufferedImage image = scene.image();
        for (int v = 0; v < 48; v++) {
            for (int u = 0; u < width; u++) {
                int px = Math.min(image.getWidth() - 1, line.x() - 4 + u * (line.width() + 8) / width);
                int py = Math.min(image.getHeight() - 1, line.top() - 2 + v * (line.height() + 4) / 48);
                int rgb = image.getRGB(px, py);
                for (int c = 0; c < 3; c++) {
                    x[c * 48 * width + v * width + u] = ((rgb >> (8 * c)) & 0xFF) / 127.5f - 1;
                }
            }
        }
        return x;
    }

    /** Within 1e-3 everywhere, and the same class wins every step (of {@code classes}) that has a clear winner. */
    static void assertSame(float[] published, float[] folded, int classes) {
        assertThat(folded).hasSameSizeAs(published);
        float worst = 0;
        for (int i = 0; i < published.length; i++) {
            worst = Math.max(worst, Math.abs(published[i] - folded[i]));
        }
        System.out.printf("folded vs published: largest difference %.2e over %d values%n", worst, published.length);
        assertThat(worst).isLessThan(1e-3f);
        if (classes > 1) {
            for (int s = 0; s < published.length / classes; s++) {
                assertThat(argmax(folded, s * classes, classes)).isEqualTo(argmax(published, s * classes, classes));
            }
        }
    }

    static int argmax(float[] p, int offset, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (p[offset + i] > p[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    static float[] run(byte[] model, float[] x, long[] shape) throws Exception {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, so);
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
             OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), in))) {
            FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        }
    }
}
