package dev.pixelsense.vision.ocr;

import dev.pixelsense.vision.ocr.OnnxGraph.Node;
import dev.pixelsense.vision.ocr.OnnxGraph.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static int8 quantization in the QDQ form ONNX Runtime turns into its integer kernels. The
 * quantized region is every Conv with constant weights, and the element-wise operators fed only
 * by that region (Add, Mul, HardSigmoid, Sigmoid, Relu after a Conv, the pools); each tensor that
 * enters, leaves or crosses it passes once through QuantizeLinear (uint8, over the range
 * {@link Observed} picks from calibration) and, for each reader, a DequantizeLinear. Conv weights
 * are int8 per output channel (symmetric: scale = largest magnitude / 127), biases int32 at input
 * scale times weight scale. ONNX Runtime then runs QLinearConv, QLinearMul, QLinearSigmoid and
 * the quantized pools on uint8 from one to the next.
 *
 * <p>Two rewrites keep the region in uint8 where ONNX Runtime has no integer kernel:
 * <ul>
 * <li>HardSigmoid(x) = clamp(alpha x + beta, 0, 1) is x requantized (a Mul by 1) so that 0 and
 * 255 are the clamp's ends, then read as [0, 1]: quantization saturates exactly where the clamp
 * does. Hard-swish, x times that, is then one more QLinearMul instead of four float passes
 * (measured: 480 columns 36 ms with the Convs alone quantized, 20-26 ms with this, float 44-49 ms);</li>
 * <li>an Add of a scalar c (the learnable affine blocks {@link OnnxFusion} cannot fold) disappears
 * into a zero point, see {@link #foldConstantAdds}: one rounding less per block, which is what
 * brought the recognizer's int8 word accuracy from 98.2-99.4% back to the float model's.</li>
 * </ul>
 * Needs opset 13 or later ({@link OnnxOpset}).
 */
final class OnnxQuantizer {
    private static final Set<String> ELEMENTWISE = Set.of("Add", "Mul", "HardSigmoid", "Sigmoid", "Relu",
            "GlobalAveragePool", "AveragePool");

    private OnnxQuantizer() {
    }

    /** The range a tensor is quantized over: values outside it saturate. */
    record Range(float min, float max) {
    }

    /**
     * What a tensor held while calibrating: its extremes and an evenly strided sample of its
     * values, from which {@link #range} picks the clipping range with the smallest quantization
     * error. Plain min/max spends the 256 levels on rare outliers: before the constant Adds were
     * folded, the recognizer's word accuracy swung from 99% to 55% of the float model's with
     * the calibration lines under min/max, 97-99% with this.
     */
    static final class Observed {
        private static final int PER_CALL = 2048;
        private static final float[] SHRINK = {1f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.25f, 0.2f};
        private float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        private float[] sample = new float[PER_CALL];
        private int size;

        void add(float[] values) {
            for (float v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            int stride = Math.max(1, values.length / PER_CALL);
            for (int i = stride / 2; i < values.length; i += stride) {
                if (size == sample.length) {
                    sample = java.util.Arrays.copyOf(sample, 2 * size);
                }
                sample[size++] = values[i];
            }
        }

        /**
         * The range [min, max] drawn in towards 0 by the factor that gives the least squared error
         * of quantizing the sample. Both ends by the same factor: drawing each in on its own cut
         * the large activations that carry the text, and read 94% of the words where this reads 99%.
         */
        Range range() {
            if (size == 0) {
                throw new IllegalStateException("nothing observed");
            }
            Range best = null;
            double bestError = Double.POSITIVE_INFINITY;
            for (float k : SHRINK) {
                Range r = new Range(Math.min(0, min) * k, Math.max(0, max) * k);
                double error = error(r);
                if (error < bestError) {
                    bestError = error;
                    best = r;
                }
            }
            return best;
        }

        private double error(Range r) {
            float scale = r.max() > r.min() ? (r.max() - r.min()) / 255 : 1;
            float zero = Math.round(-r.min() / scale);
            double sum = 0;
            for (int i = 0; i < size; i++) {
                float q = Math.clamp(Math.round(sample[i] / scale + zero), 0, 255);
                double d = (q - zero) * scale - sample[i];
                sum += d * d;
            }
            return sum;
        }
    }

    /** Folds each BatchNormalization that follows a Conv into its weights and bias; returns how many. */
    static int foldBatchNorm(OnnxModel model) {
        Map<String, Tensor> constants = constants(model);
        Map<String, List<Node>> consumers = consumers(model);
        Map<String, Node> producers = producers(model);
        int folded = 0;
        for (Node bn : List.copyOf(model.nodes)) {
            Node conv = bn.op.equals("BatchNormalization") && bn.out.size() == 1 && bn.in.size() == 5
                    ? producers.get(bn.in.getFirst()) : null;
            if (conv == null || !conv.op.equals("Conv") || !hasConstantWeights(conv, constants)
                    || consumers.get(bn.in.getFirst()).size() != 1 || model.outputs.contains(bn.in.getFirst())
                    || bn.in.subList(1, 5).stream().anyMatch(i -> !constants.containsKey(i))) {
                continue;
            }
            Tensor w = constants.get(conv.in.get(1));
            int channels = (int) w.dims()[0], per = w.values().length / channels;
            float[] gamma = constants.get(bn.in.get(1)).values(), beta = constants.get(bn.in.get(2)).values();
            float[] mean = constants.get(bn.in.get(3)).values(), variance = constants.get(bn.in.get(4)).values();
            float epsilon = floatAttribute(bn, "epsilon", 1e-5f);
            float[] weights = w.values().clone();
            float[] bias = conv.in.size() > 2 ? constants.get(conv.in.get(2)).values().clone() : new float[channels];
            for (int o = 0; o < channels; o++) {
                float k = (float) (gamma[o] / Math.sqrt(variance[o] + epsilon));
                for (int i = o * per; i < (o + 1) * per; i++) {
                    weights[i] *= k;
                }
                bias[o] = (bias[o] - mean[o]) * k + beta[o];
            }
            conv.in.set(1, model.constant("bn.weight", OnnxModel.FLOAT, w.dims(), floats(weights)));
            String b = model.constant("bn.bias", OnnxModel.FLOAT, new long[] {channels}, floats(bias));
            if (conv.in.size() > 2) {
                conv.in.set(2, b);
            } else {
                conv.in.add(b);
            }
            conv.out.set(0, bn.out.getFirst());
            model.nodes.remove(bn);
            folded++;
        }
        return folded;
    }

    /** The tensors whose ranges {@link #quantize} needs, in graph order. */
    static List<String> observed(OnnxModel model) {
        return observed(model, Set.of());
    }

    /** As {@link #observed(OnnxModel)}, keeping the nodes that write {@code keepFloat} in float. */
    static List<String> observed(OnnxModel model, Set<String> keepFloat) {
        Plan plan = Plan.of(model, keepFloat);
        return plan.tensors.stream().filter(t -> !isGate(plan.producers.get(t))).toList();
    }

    /**
     * Quantizes the region (see the class comment); {@code ranges} must hold every tensor of
     * {@link #observed}. Returns the number of quantized nodes by operator.
     */
    static Map<String, Integer> quantize(OnnxModel model, Map<String, Range> ranges) {
        return quantize(model, ranges, Set.of());
    }

    /** As {@link #quantize(OnnxModel, Map)}, keeping the nodes that write {@code keepFloat} in float. */
    static Map<String, Integer> quantize(OnnxModel model, Map<String, Range> ranges, Set<String> keepFloat) {
        if (model.opset < 13) {
            throw new IllegalArgumentException("per-channel quantization needs opset 13, the model has " + model.opset);
        }
        Plan plan = Plan.of(model, keepFloat);
        Map<String, Params> params = new HashMap<>();
        for (String t : plan.tensors) {
            Node producer = plan.producers.get(t);
            if (isGate(producer)) {
                params.put(t, Params.gate(model, producer));
            } else {
                Range r = ranges.get(t);
                if (r == null || !(r.min() <= r.max())) {
                    throw new IllegalArgumentException("no calibrated range for " + t);
                }
                params.put(t, Params.of(model, r));
            }
        }
        Map<String, Float> offsets = new HashMap<>();
        Map<String, String> readAs = foldConstantAdds(model, plan, params, offsets);
        Map<String, String> bytesOf = new HashMap<>();
        for (String t : plan.tensors) {
            Params p = params.get(t);
            Node producer = plan.producers.get(t);
            if (readAs.containsValue(t)) { // the bytes of the Add's input, read with this tensor's zero point
                String bytes = bytesOf.get(readAs.entrySet().stream().filter(e -> e.getValue().equals(t)).findFirst()
                        .orElseThrow().getKey());
                dequantizeFor(model, plan, t, bytes, p);
                continue;
            }
            String bytes = model.name("uint8");
            bytesOf.put(t, bytes);
            String value = t;
            int at;
            if (producer == null) {
                at = (int) model.nodes.stream().takeWhile(n -> n.op.equals("Constant")).count();
            } else {
                value = model.name("float");
                producer.out.set(producer.out.indexOf(t), value);
                at = model.nodes.indexOf(producer) + 1;
                if (isGate(producer)) {
                    // times 1: a requantization, the output's range does the clamping
                    producer.op = "Mul";
                    producer.attributes.clear();
                    String one = model.constant("one", OnnxModel.FLOAT, new long[0], floats(1f));
                    producer.in.add(one);
                    plan.constants.put(one, new Tensor(new long[0], new float[] {1f}));
                }
            }
            model.nodes.add(at, Node.of("QuantizeLinear", bytes, List.of(value, p.qScale, p.qZero), bytes, List.of()));
            if (model.outputs.contains(t)) {
                model.nodes.add(at + 1, Node.of("DequantizeLinear", t, List.of(bytes, p.dqScale, p.dqZero), t, List.of()));
            }
            if (!readAs.containsKey(t)) {
                dequantizeFor(model, plan, t, bytes, p);
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Node n : plan.region) {
            if (!model.nodes.contains(n)) {
                continue; // folded away
            }
            if (n.op.equals("Conv")) {
                String input = plan.inputOf.get(n);
                weights(model, n, plan.constants, params.get(input).value, offsets.getOrDefault(input, 0f));
            } else if (n.op.equals("Add") || n.op.equals("Mul")) {
                for (int i = 0; i < n.in.size(); i++) {
                    Tensor c = plan.constants.get(n.in.get(i));
                    if (c != null) {
                        n.in.set(i, constantOperand(model, n, c));
                    }
                }
            }
            counts.merge(n.op, 1, Integer::sum);
        }
        return counts;
    }

    /** A DequantizeLinear of {@code bytes} in front of each reader of {@code t}. */
    private static void dequantizeFor(OnnxModel model, Plan plan, String t, String bytes, Params p) {
        for (Node reader : plan.consumers.getOrDefault(t, List.of())) {
            String read = model.name("dequantized");
            model.nodes.add(model.nodes.indexOf(reader), Node.of("DequantizeLinear", read,
                    List.of(bytes, p.dqScale, p.dqZero), read, List.of()));
            reader.in.replaceAll(i -> i.equals(t) ? read : i);
        }
    }

    /**
     * Removes each Add of a scalar c whose input is read by nothing else: the input is quantized
     * at the output's scale with the zero point moved by c / scale (rounded), and read back with
     * the output's zero point, which gives input + c (one rounding and one pass less; the padding
     * of a following Conv stays the output's 0, as before). The rounding's remainder is returned in
     * {@code offsets} for the Convs that read the output to take out of their bias. Returns input to output.
     */
    private static Map<String, String> foldConstantAdds(OnnxModel model, Plan plan, Map<String, Params> params,
                                                        Map<String, Float> offsets) {
        Map<String, String> readAs = new HashMap<>();
        for (Node add : List.copyOf(plan.region)) {
            if (!add.op.equals("Add") || add.in.size() != 2) {
                continue;
            }
            int constant = plan.constants.containsKey(add.in.get(0)) ? 0 : plan.constants.containsKey(add.in.get(1)) ? 1 : -1;
            String t = constant < 0 ? null : add.in.get(1 - constant), u = add.out.getFirst();
            if (t == null || !plan.tensors.contains(t) || !plan.tensors.contains(u) || model.outputs.contains(t)
                    || model.outputs.contains(u) || plan.consumers.get(t).size() != 1 || isGate(plan.producers.get(t))
                    || isGate(plan.producers.get(u))) {
                continue;
            }
            float c = plan.constants.get(add.in.get(constant)).values()[0];
            Params pu = params.get(u);
            int shift = Math.round(c / pu.value), zero = pu.zero + shift;
            if (zero < 0 || zero > 255) {
                continue;
            }
            params.put(t, new Params(pu.qScale, model.constant("zero", OnnxModel.UINT8, new long[0], new byte[] {(byte) zero}),
                    pu.dqScale, pu.dqZero, pu.value, zero));
            offsets.put(u, shift * pu.value - c);
            readAs.put(t, u);
            model.nodes.remove(add);
        }
        return readAs;
    }

    /** A HardSigmoid of the region, quantized as a table look-up (see the class comment). */
    private static boolean isGate(Node n) {
        return n != null && n.op.equals("HardSigmoid");
    }

    /** What is quantized: the region's nodes, and the tensors that pass through QuantizeLinear. */
    private record Plan(Map<String, Tensor> constants, List<Node> region, List<String> tensors,
                        Map<String, Node> producers, Map<String, List<Node>> consumers, Map<Node, String> inputOf) {
        static Plan of(OnnxModel model, Set<String> keepFloat) {
            Map<String, Tensor> constants = OnnxQuantizer.constants(model);
            Map<String, Node> producers = OnnxQuantizer.producers(model);
            Map<String, List<Node>> consumers = OnnxQuantizer.consumers(model);
            Set<Node> region = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<String> tensors = new LinkedHashSet<>();
            Map<Node, String> inputOf = new IdentityHashMap<>();
            List<Node> ordered = new ArrayList<>(); // graph order: the rewrite must not depend on identity hashes
            for (Node n : model.nodes) {
                if (keepFloat.contains(n.out.getFirst())) {
                    continue;
                }
                if (n.op.equals("Conv") ? hasConstantWeights(n, constants) : joins(n, region, producers, constants, consumers)) {
                    region.add(n);
                    ordered.add(n);
                }
            }
            for (Node n : model.nodes) {
                if (!region.contains(n)) {
                    continue;
                }
                List<String> inputs = n.op.equals("Conv") ? List.of(n.in.getFirst())
                        : n.in.stream().filter(i -> !constants.containsKey(i)).toList();
                for (String i : inputs) {
                    if (!absorbed(i, producers, consumers)) {
                        tensors.add(i);
                    }
                }
                inputOf.put(n, inputs.getFirst());
                if (!absorbed(n.out.getFirst(), producers, consumers)) {
                    tensors.add(n.out.getFirst());
                }
            }
            Map<String, List<Node>> readers = new HashMap<>();
            for (String t : tensors) {
                readers.put(t, consumers.getOrDefault(t, List.of()).stream().distinct().toList());
            }
            return new Plan(constants, ordered, List.copyOf(tensors), producers, readers, inputOf);
        }

        /** An element-wise operator joins the region when everything it reads comes from it. */
        private static boolean joins(Node n, Set<Node> region, Map<String, Node> producers, Map<String, Tensor> constants,
                                     Map<String, List<Node>> consumers) {
            if (!ELEMENTWISE.contains(n.op) || n.out.size() != 1) {
                return false;
            }
            if (n.op.equals("Relu")) { // only folded into the Conv before it
                Node p = producers.get(n.in.getFirst());
                return p != null && region.contains(p) && p.op.equals("Conv")
                        && consumers.get(n.in.getFirst()).size() == 1;
            }
            boolean any = false;
            for (String i : n.in) {
                Tensor c = constants.get(i);
                if (c != null) {
                    if (!(n.op.equals("Add") || n.op.equals("Mul")) || c.values().length != 1) {
                        return false;
                    }
                } else {
                    Node p = producers.get(i);
                    if (p == null || !region.contains(p)) {
                        return false;
                    }
                    any = true;
                }
            }
            return any;
        }

        /** A Conv's output read only by a Relu: ONNX Runtime folds the Relu into the quantized Conv. */
        private static boolean absorbed(String t, Map<String, Node> producers, Map<String, List<Node>> consumers) {
            Node p = producers.get(t);
            List<Node> c = consumers.getOrDefault(t, List.of());
            return p != null && p.op.equals("Conv") && c.size() == 1 && c.getFirst().op.equals("Relu");
        }
    }

    /** An activation's uint8 parameters as Q writes and DQ reads them (different only for a gate), and the read scale. */
    private record Params(String qScale, String qZero, String dqScale, String dqZero, float value, int zero) {
        static Params of(OnnxModel model, Range r) {
            float lo = Math.min(0, r.min()), hi = Math.max(0, r.max());
            float scale = hi > lo ? (hi - lo) / 255 : 1;
            int zero = Math.clamp(Math.round(-lo / scale), 0, 255);
            String s = scalar(model, scale), z = model.constant("zero", OnnxModel.UINT8, new long[0], new byte[] {(byte) zero});
            return new Params(s, z, s, z, scale, zero);
        }

        /** HardSigmoid(alpha, beta) = clamp(alpha x + beta, 0, 1): x quantized so 0..255 spans the clamp. */
        static Params gate(OnnxModel model, Node hardSigmoid) {
            float alpha = floatAttribute(hardSigmoid, "alpha", 0.2f), beta = floatAttribute(hardSigmoid, "beta", 0.5f);
            int zero = Math.clamp(Math.round(255 * beta), 0, 255);
            return new Params(scalar(model, 1 / (255 * alpha)), model.constant("zero", OnnxModel.UINT8, new long[0],
                    new byte[] {(byte) zero}), scalar(model, 1 / 255f), model.constant("zero", OnnxModel.UINT8, new long[0],
                    new byte[] {0}), 1 / 255f, 0);
        }
    }

    /** A scalar operand of a quantized Add or Mul, as uint8 exactly at one end of its scale. */
    private static String constantOperand(OnnxModel model, Node n, Tensor c) {
        float v = c.values()[0];
        float scale = v == 0 ? 1 : Math.abs(v) / 255;
        byte q = (byte) (v > 0 ? 255 : 0), zero = (byte) (v < 0 ? 255 : 0);
        String read = model.name("operand");
        model.nodes.add(model.nodes.indexOf(n), Node.of("DequantizeLinear", read, List.of(
                model.constant("operand", OnnxModel.UINT8, c.dims(), new byte[] {q}), scalar(model, scale),
                model.constant("operand.zero", OnnxModel.UINT8, new long[0], new byte[] {zero})), read, List.of()));
        return read;
    }

    /** The Conv's weights to int8 per output channel and its bias to int32, each behind a DequantizeLinear. */
    private static void weights(OnnxModel model, Node conv, Map<String, Tensor> constants, float inputScale,
                                float inputOffset) {
        Tensor w = constants.get(conv.in.get(1));
        int channels = (int) w.dims()[0], per = w.values().length / channels;
        float[] scales = new float[channels];
        byte[] q = new byte[w.values().length];
        for (int o = 0; o < channels; o++) {
            float largest = 0;
            for (int i = o * per; i < (o + 1) * per; i++) {
                largest = Math.max(largest, Math.abs(w.values()[i]));
            }
            scales[o] = largest > 0 ? largest / 127 : 1;
            for (int i = o * per; i < (o + 1) * per; i++) {
                q[i] = (byte) Math.clamp(Math.round(w.values()[i] / scales[o]), -127, 127);
            }
        }
        byte[] axis = OnnxModel.intAttribute("axis", 0);
        long[] perChannel = {channels};
        String weights = model.name("weight.float");
        model.nodes.add(model.nodes.indexOf(conv), Node.of("DequantizeLinear", weights, List.of(
                model.constant("weight", OnnxModel.INT8, w.dims(), q),
                model.constant("weight.scale", OnnxModel.FLOAT, perChannel, floats(scales)),
                model.constant("weight.zero", OnnxModel.INT8, perChannel, new byte[channels])), weights, List.of(axis)));
        conv.in.set(1, weights);
        float[] bias = conv.in.size() > 2 ? constants.get(conv.in.get(2)).values().clone() : new float[channels];
        float[] biasScales = new float[channels];
        ByteBuffer b = ByteBuffer.allocate(4 * channels).order(ByteOrder.LITTLE_ENDIAN);
        for (int o = 0; o < channels; o++) {
            double sum = 0; // the input arrives inputOffset too high: take its effect out
            for (int i = o * per; i < (o + 1) * per; i++) {
                sum += w.values()[i];
            }
            bias[o] -= (float) (inputOffset * sum);
            biasScales[o] = inputScale * scales[o];
            b.putInt((int) Math.clamp(Math.round((double) bias[o] / biasScales[o]), Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        String biasName = model.name("bias.float");
        model.nodes.add(model.nodes.indexOf(conv), Node.of("DequantizeLinear", biasName, List.of(
                model.constant("bias", OnnxModel.INT32, perChannel, b.array()),
                model.constant("bias.scale", OnnxModel.FLOAT, perChannel, floats(biasScales)),
                model.constant("bias.zero", OnnxModel.INT32, perChannel, new byte[4 * channels])), biasName, List.of(axis)));
        if (conv.in.size() > 2) {
            conv.in.set(2, biasName);
        } else {
            conv.in.add(biasName);
        }
    }

    private static boolean hasConstantWeights(Node conv, Map<String, Tensor> constants) {
        if (!conv.op.equals("Conv") || conv.in.size() < 2) {
            return false;
        }
        Tensor w = constants.get(conv.in.get(1));
        return w != null && w.dims().length == 4 && (conv.in.size() < 3 || constants.containsKey(conv.in.get(2))
                && constants.get(conv.in.get(2)).values().length == w.dims()[0]);
    }

    private static Map<String, Tensor> constants(OnnxModel model) {
        Map<String, Tensor> constants = new HashMap<>();
        for (Node n : model.nodes) {
            List<Protobuf.Field> value = n.op.equals("Constant") && n.out.size() == 1 ? n.attribute("value") : null;
            Tensor t = value == null ? null : value.stream().filter(a -> a.number() == 5).findFirst()
                    .map(a -> Tensor.parse(a.bytes())).orElse(null);
            if (t != null) {
                constants.put(n.out.getFirst(), t);
            }
        }
        return constants;
    }

    private static Map<String, Node> producers(OnnxModel model) {
        Map<String, Node> producers = new HashMap<>();
        model.nodes.forEach(n -> n.out.forEach(o -> producers.put(o, n)));
        return producers;
    }

    private static Map<String, List<Node>> consumers(OnnxModel model) {
        Map<String, List<Node>> consumers = new HashMap<>();
        model.nodes.forEach(n -> n.in.forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n)));
        return consumers;
    }

    private static float floatAttribute(Node n, String name, float otherwise) {
        List<Protobuf.Field> a = n.attribute(name);
        return a == null ? otherwise : a.stream().filter(f -> f.number() == 2).findFirst().map(Protobuf.Field::float32)
                .orElse(otherwise);
    }

    private static String scalar(OnnxModel model, float value) {
        return model.constant("scale", OnnxModel.FLOAT, new long[0], floats(value));
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
