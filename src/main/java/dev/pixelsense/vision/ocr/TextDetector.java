package dev.pixelsense.vision.ocr;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * PP-OCRv4 text detection: the image (downscaled only when its longer side exceeds
 * {@code maxSide}) is padded by repeating its edge pixels to multiples of 32 (the network halves the
 * size five times), normalized as the model was trained (BGR channel order, ImageNet mean and
 * standard deviation), run, and the probability map turned into boxes in image pixels.
 * Padding instead of stretching keeps detection pixels equal to image pixels at screen sizes.
 * Not thread-safe: the caller serializes.
 */
final class TextDetector {
    // ImageNet statistics in the order of the model's channels: blue, green, red
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private static final float[][] LUT = new float[3][256];

    static {
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                LUT[c][v] = (v / 255f - MEAN[c]) / STD[c];
            }
        }
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final OcrOptions options;
    private final DbPostProcessor post;

    TextDetector(OrtEnvironment env, OrtSession session, OcrOptions options) {
        this.env = env;
        this.session = session;
        this.input = session.getInputNames().iterator().next();
        this.options = options;
        this.post = new DbPostProcessor(options);
    }

    /** Boxes in image pixels, in no particular order. */
    List<DbPostProcessor.Detected> detect(OcrImage image) throws OrtException {
        Input in = input(image, options.maxSide());
        int w = in.width(), h = in.height(), pw = (int) in.shape()[3];
        float[] map;
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.chw()), in.shape());
             OrtSession.Result result = session.run(Map.of(input, x))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            map = new float[out.remaining()];
            out.get(map);
        }
        double back = 0.5 * ((double) image.width() / w + (double) image.height() / h);
        return post.boxes(map, pw, w, h).stream()
                .map(d -> new DbPostProcessor.Detected(d.box().scaled(back), d.score())).toList();
    }

    /** The network's input for an image: its pixels scaled to fit {@code maxSide} ({@code width x height}), padded. */
    record Input(float[] chw, long[] shape, int width, int height) {
    }

    static Input input(OcrImage image, int maxSide) {
        double scale = Math.min(1.0, (double) maxSide / Math.max(image.width(), image.height()));
        int w = Math.max(1, (int) Math.round(image.width() * scale));
        int h = Math.max(1, (int) Math.round(image.height() * scale));
        int pw = (w + 31) / 32 * 32, ph = (h + 31) / 32 * 32;
        float[] chw = new float[3 * pw * ph];
        fill(image, w, h, pw, ph, chw);
        return new Input(chw, new long[] {1, 3, ph, pw}, w, h);
    }

    private static void fill(OcrImage image, int w, int h, int pw, int ph, float[] chw) {
        int plane = pw * ph;
        int[] row = new int[pw];
        for (int y = 0; y < ph; y++) {
            int sy = Math.min(y, h - 1);
            if (w == image.width() && h == image.height()) {
                System.arraycopy(image.pixels(), sy * w, row, 0, w);
            } else {
                image.resampleRow(sy, w, h, row);
            }
            for (int x = w; x < pw; x++) {
                row[x] = row[w - 1];
            }
            int o = y * pw;
            for (int x = 0; x < pw; x++) {
                int rgb = row[x];
                chw[o + x] = LUT[0][rgb & 0xFF];
                chw[plane + o + x] = LUT[1][(rgb >> 8) & 0xFF];
                chw[2 * plane + o + x] = LUT[2][(rgb >> 16) & 0xFF];
            }
        }
    }
}
