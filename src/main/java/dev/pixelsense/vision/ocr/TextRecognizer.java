package dev.pixelsense.vision.ocr;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.pixelsense.error.CancelledException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * PP-OCRv4 text recognition. Each box is read along its width: sampled straight from the image
 * (bilinear, so a slanted box comes out level) at the model's height of 48 pixels, keeping its
 * aspect ratio, normalized to [-1, 1] in BGR order. The crop is the box grown by a tenth of its
 * height on every side: read from the tight box the recognizer dropped the space between words in
 * 44 of 496 rendered UI lines, with the margin in 6 (about what growing the detector's region by
 * 2.0 instead of 1.5 gives). A larger margin makes the crop narrower and cheaper but the text
 * smaller: over 2027 rendered words, margins of 0.1, 0.2 and 0.3 read 99.4%, 98.3% and 96.7% of
 * them right, for 57, 43 and 38 s of CPU. Crops are sorted by width and run in batches
 * padded to the widest crop of the batch (zeros: the normalized mid-grey the model was trained
 * with), so little work goes to padding; batches run on the caller's pool, widest first, so the
 * workers finish together. The network emits one step per 8 input columns, decoded with
 * {@link CtcDecoder}. A box at least 1.5 times taller than wide is read both as it stands and
 * turned a quarter (top-to-bottom text), and the more confident reading is kept.
 * Crops seen in a recent call are not read again ({@link RecognitionCache}).
 * One {@link #read} at a time (the caller serializes); its batches may run in parallel on the
 * session, which ONNX Runtime allows.
 */
final class TextRecognizer {
    static final int HEIGHT = 48;
    static final String BEST = "pixelsense.best_class", BEST_P = "pixelsense.best_probability";
    private static final java.util.Set<String> BEST_OUTPUTS = java.util.Set.of(BEST, BEST_P);
    static final int STEP = 8;
    /** Wider crops are squeezed to this width (a whole 4K line of small text still fits). */
    static final int MAX_WIDTH = 3200;
    /** Margin around a box, as a share of its height, in the crop the recognizer reads. */
    static final double MARGIN = 0.1;

    /** A character of a reading and where it was read, in pixels along the box's width from its left edge. */
    record Glyph(String text, double at, float probability) {
    }

    /** One box read: its text, mean character probability, the box read along, and the glyphs. */
    record Read(String text, float confidence, RotatedBox box, List<Glyph> glyphs) {
    }

    /** A box to read (in reading direction), the larger crop actually sampled, and its width in the input. */
    private record Job(int index, RotatedBox box, RotatedBox crop, int width) {
    }

    /** A job's reading, from the cache or the network. */
    private record Done(Job job, Read read) {
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final CtcDecoder decoder;
    private final int batchSize;
    private final ExecutorService pool;
    private final RecognitionCache cache;

    TextRecognizer(OrtEnvironment env, OrtSession session, CtcDecoder decoder, OcrOptions options,
                   ExecutorService pool) throws OrtException {
        this.env = env;
        this.session = session;
        this.input = session.getInputNames().iterator().next();
        if (!session.getOutputNames().containsAll(BEST_OUTPUTS)) {
            throw new IllegalArgumentException("the OCR recognizer session lacks the outputs withBestClass adds");
        }
        long[] shape = ((ai.onnxruntime.TensorInfo) session.getOutputInfo().get(session.getOutputNames().iterator()
                .next()).getInfo()).getShape();
        if (shape.length == 3 && shape[2] > 0 && shape[2] != decoder.classCount()) {
            throw new IllegalStateException("the OCR recognizer has " + shape[2] + " classes but the character list "
                    + "gives " + decoder.classCount() + ": the model and ppocr_keys_v1.txt do not belong together");
        }
        this.decoder = decoder;
        this.batchSize = options.batchSize();
        this.pool = pool;
        this.cache = new RecognitionCache(options.cacheSize());
    }

    /**
     * The recognizer with two more outputs: per time step the most probable class ({@code ArgMax})
     * and its probability ({@code ReduceMax}), which is all greedy CTC decoding reads. Without
     * them every call copied the whole softmax, {@code steps x 6625} floats per line (a dense
     * 1080p screen: about 300 MB), out of ONNX Runtime to scan it in Java.
     *
     * @throws IllegalArgumentException when {@code model} is not an ONNX model
     */
    static byte[] withBestClass(byte[] model) {
        OnnxModel m = OnnxModel.parse(model, "pixelsense.best.");
        String probabilities = m.outputs.getFirst();
        m.nodes.add(OnnxGraph.Node.of("ArgMax", BEST, List.of(probabilities), BEST,
                List.of(OnnxModel.intAttribute("axis", 2), OnnxModel.intAttribute("keepdims", 0))));
        m.nodes.add(m.opset >= 18
                ? OnnxGraph.Node.of("ReduceMax", BEST_P, List.of(probabilities, m.longs("axes", 2)), BEST_P,
                        List.of(OnnxModel.intAttribute("keepdims", 0)))
                : OnnxGraph.Node.of("ReduceMax", BEST_P, List.of(probabilities), BEST_P,
                        List.of(OnnxModel.intsAttribute("axes", 2), OnnxModel.intAttribute("keepdims", 0))));
        m.addOutput(BEST, OnnxModel.INT64);
        m.addOutput(BEST_P, OnnxModel.FLOAT);
        return m.bytes();
    }

    /** One reading per box, in the order of {@code boxes}. */
    List<Read> read(OcrImage image, List<RotatedBox> boxes) throws OrtException {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            RotatedBox b = boxes.get(i);
            jobs.add(job(i, b));
            if (b.height() >= 1.5 * b.width()) {
                jobs.add(job(i, new RotatedBox(b.cx(), b.cy(), -b.uy(), b.ux(), b.height(), b.width())));
            }
        }
        List<Done> done = new ArrayList<>();
        Map<Job, RecognitionCache.Key> keys = new HashMap<>();
        if (cache.enabled()) {
            List<Job> missed = new ArrayList<>();
            for (Job job : jobs) {
                RecognitionCache.Key key = RecognitionCache.key(image, job.crop(), job.width());
                Read hit = cache.get(key);
                if (hit == null) {
                    keys.put(job, key);
                    missed.add(job);
                } else {
                    done.add(new Done(job, new Read(hit.text(), hit.confidence(), job.box(), hit.glyphs())));
                }
            }
            jobs = missed;
        }
        jobs.sort(Comparator.comparingInt(Job::width).reversed());
        List<List<Job>> batches = new ArrayList<>();
        for (int start = 0; start < jobs.size(); start += batchSize) {
            batches.add(jobs.subList(start, Math.min(jobs.size(), start + batchSize)));
        }
        List<Future<List<Read>>> running = new ArrayList<>(batches.size());
        for (List<Job> batch : batches) {
            running.add(pool.submit(() -> run(image, batch)));
        }
        try {
            for (int b = 0; b < batches.size(); b++) {
                List<Read> reads = running.get(b).get();
                for (int i = 0; i < reads.size(); i++) {
                    Job job = batches.get(b).get(i);
                    done.add(new Done(job, reads.get(i)));
                    if (keys.containsKey(job)) {
                        cache.put(keys.get(job), reads.get(i));
                    }
                }
            }
        } catch (InterruptedException e) {
            running.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new CancelledException("OCR was interrupted");
        } catch (ExecutionException e) {
            running.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof OrtException ort) {
                throw ort;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        Read[] best = new Read[boxes.size()];
        for (Done d : done) {
            int index = d.job().index();
            if (best[index] == null || d.read().confidence() > best[index].confidence()) {
                best[index] = d.read();
            }
        }
        return Arrays.asList(best);
    }

    /**
     * The network's input for one box, sampled exactly as {@link #read} samples it: 3 planes of
     * 48 x {@code width} (calibration of the quantized model, {@link OcrQuantization}).
     */
    static float[] input(OcrImage image, RotatedBox box) {
        Job job = job(0, box);
        float[] x = new float[3 * HEIGHT * job.width()];
        crop(image, job, x, 0, job.width());
        return x;
    }

    private static Job job(int index, RotatedBox box) {
        RotatedBox crop = box.expanded(MARGIN * box.height());
        double ratio = crop.width() / Math.max(1, crop.height());
        return new Job(index, box, crop, (int) Math.clamp(Math.ceil(HEIGHT * ratio), STEP, MAX_WIDTH));
    }

    private List<Read> run(OcrImage image, List<Job> batch) throws OrtException {
        int widest = batch.stream().mapToInt(Job::width).max().orElse(STEP);
        int width = (widest + STEP - 1) / STEP * STEP;
        int n = batch.size();
        int plane = HEIGHT * width;
        float[] x = new float[n * 3 * plane];
        for (int i = 0; i < n; i++) {
            crop(image, batch.get(i), x, i * 3 * plane, width);
        }
        long[] best;
        float[] bestP;
        int steps;
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, 3, HEIGHT, width});
             OrtSession.Result result = session.run(Map.of(input, tensor), BEST_OUTPUTS)) {
            OnnxTensor classes = (OnnxTensor) result.get(BEST).orElseThrow();
            steps = (int) classes.getInfo().getShape()[1];
            LongBuffer b = classes.getLongBuffer();
            best = new long[b.remaining()];
            b.get(best);
            FloatBuffer p = ((OnnxTensor) result.get(BEST_P).orElseThrow()).getFloatBuffer();
            bestP = new float[p.remaining()];
            p.get(bestP);
        }
        List<Read> reads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Job job = batch.get(i);
            int used = Math.min(steps, (job.width() + STEP - 1) / STEP); // the rest is padding
            List<CtcDecoder.Char> chars = decoder.decode(best, bestP, i * steps, used);
            double pixelsPerColumn = job.crop().width() / job.width();
            double margin = (job.crop().width() - job.box().width()) / 2;
            StringBuilder text = new StringBuilder();
            double sum = 0;
            List<Glyph> glyphs = new ArrayList<>(chars.size());
            for (CtcDecoder.Char c : chars) {
                text.append(c.text());
                sum += c.probability();
                glyphs.add(new Glyph(c.text(), (c.step() + 0.5) * STEP * pixelsPerColumn - margin,
                        c.probability()));
            }
            reads.add(new Read(text.toString(), chars.isEmpty() ? 0 : (float) (sum / chars.size()), job.box(), glyphs));
        }
        return reads;
    }

    /** Samples the box into {@code x} at {@code offset}: 3 planes of 48 x {@code stride}, BGR, [-1, 1]. */
    private static void crop(OcrImage image, Job job, float[] x, int offset, int stride) {
        RotatedBox b = job.crop();
        int w = job.width();
        int plane = HEIGHT * stride;
        // more than 1.5 source pixels per output pixel: average k x k samples, or thin strokes vanish
        int k = (int) Math.clamp(Math.ceil(b.height() / HEIGHT / 1.5), 1, 4);
        double du = b.width() / w, dv = b.height() / HEIGHT;
        double left = -b.width() / 2, top = -b.height() / 2;
        float[] bgr = new float[3];
        float[] sum = new float[3];
        for (int v = 0; v < HEIGHT; v++) {
            for (int u = 0; u < w; u++) {
                sum[0] = sum[1] = sum[2] = 0;
                for (int sv = 0; sv < k; sv++) {
                    double bv = top + (v + (sv + 0.5) / k) * dv;
                    for (int su = 0; su < k; su++) {
                        double bu = left + (u + (su + 0.5) / k) * du;
                        image.sample(b.cx() + bu * b.ux() - bv * b.uy(), b.cy() + bu * b.uy() + bv * b.ux(), bgr);
                        sum[0] += bgr[0];
                        sum[1] += bgr[1];
                        sum[2] += bgr[2];
                    }
                }
                int o = offset + v * stride + u;
                float scale = 1f / (127.5f * k * k);
                x[o] = sum[0] * scale - 1;
                x[o + plane] = sum[1] * scale - 1;
                x[o + 2 * plane] = sum[2] * scale - 1;
            }
        }
    }
}
