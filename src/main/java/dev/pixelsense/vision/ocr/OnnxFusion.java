package dev.pixelsense.vision.ocr;

import dev.pixelsense.vision.ocr.OnnxGraph.Node;
import dev.pixelsense.vision.ocr.OnnxGraph.Tensor;
import dev.pixelsense.vision.ocr.Protobuf.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds the element-wise operators of PaddleOCR's PP-LCNetV3 models into their neighbours before
 * ONNX Runtime sees them. Paddle2ONNX exports each block as Conv, then a "learnable affine block"
 * (Mul and Add by scalars), a hard-swish spelled out as Add 3, Clip 0..6, Mul and Div 6, and a
 * second affine block; ONNX Runtime fuses none of them, and those passes over the activations took
 * 45% of the recognizer's time (Mul 18%, Add 15%, Clip 6%, Div 5% in its profiler). Three rewrites,
 * each exact up to float rounding:
 * <ul>
 * <li>Conv, Mul by s, Add b: the Conv's weights times s, its bias times s plus b;</li>
 * <li>Add 3, Clip 0..6, Mul by the input, Div 6: HardSigmoid(1/6, 1/2) times the input (HardSwish
 * itself from opset 14; these models are opset 9 and 11);</li>
 * <li>Mul by s, Add b, then Conv: s moves into the Conv's weights; b moves into its bias when the
 * Conv is 1x1 without padding, otherwise stays as Add b/s (zero padding then pads the same values).</li>
 * </ul>
 * Anything that does not match exactly (a tensor read twice, a graph output, a non-scalar factor)
 * is left as it was. Measured on the 2-core dev machine: a 480-column line 50.7 -> 33.1 ms, a cold
 * 1080p screen 6.9 -> 5.3 CPU-s, detection alone about 18% less, the same words (docs/benchmarks.md).
 */
final class OnnxFusion {
    private final OnnxModel model;
    private final List<Node> nodes;
    private final Map<String, Tensor> constants = new HashMap<>();
    private final Set<String> graphOutputs;
    private final long opset;
    private final Map<String, Integer> folded = new HashMap<>();
    private Map<String, List<Node>> consumers;

    private OnnxFusion(OnnxModel model) {
        this.model = model;
        this.nodes = model.nodes;
        this.opset = model.opset;
        this.graphOutputs = new HashSet<>(model.outputs);
        for (Node n : nodes) {
            List<Field> value = n.op.equals("Constant") && n.out.size() == 1 ? n.attribute("value") : null;
            Tensor t = value == null ? null : value.stream().filter(a -> a.number() == 5).findFirst()
                    .map(a -> Tensor.parse(a.bytes())).orElse(null);
            if (t != null) {
                constants.put(n.out.getFirst(), t);
            }
        }
    }

    /** The model with its element-wise chains folded, and what was folded (counts by rewrite). */
    record Result(byte[] model, Map<String, Integer> folded) {
    }

    /** @throws IllegalArgumentException when {@code model} is not an ONNX model */
    static Result fuse(byte[] model) {
        OnnxFusion fusion = new OnnxFusion(OnnxModel.parse(model, "pixelsense.fused"));
        fusion.run();
        return new Result(fusion.model.bytes(), Map.copyOf(fusion.folded));
    }

    private void run() {
        rewrite(this::affineAfterConv);
        rewrite(this::hardSwish);
        rewrite(this::affineBeforeConv);
    }

    private interface Rewrite {
        /** Rewrites around {@code n} in place; returns the nodes it removed, empty when nothing matched. */
        List<Node> at(Node n);
    }

    private void rewrite(Rewrite rule) {
        consumers = new HashMap<>();
        nodes.forEach(n -> n.in.forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n)));
        Set<Node> removed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : List.copyOf(nodes)) {
            if (!removed.contains(n)) {
                removed.addAll(rule.at(n));
            }
        }
        nodes.removeIf(removed::contains);
    }

    /** Conv, Mul by s, Add b (optional) into the Conv. */
    private List<Node> affineAfterConv(Node conv) {
        if (!conv.op.equals("Conv") || conv.in.size() < 2 || !constants.containsKey(conv.in.get(1))) {
            return List.of();
        }
        Node mul = sole(conv.out.getFirst(), "Mul");
        Float s = mul == null ? null : scalar(mul, conv.out.getFirst());
        if (s == null) {
            return List.of();
        }
        Node add = sole(mul.out.getFirst(), "Add");
        Float b = add == null ? null : scalar(add, mul.out.getFirst());
        Tensor w = constants.get(conv.in.get(1));
        float[] bias = bias(conv, w);
        if (bias == null) {
            return List.of();
        }
        for (int o = 0; o < bias.length; o++) {
            bias[o] = bias[o] * s + (b == null ? 0 : b);
        }
        conv.in.set(1, constant(scaled(w, s)));
        setBias(conv, bias);
        conv.out.set(0, (b == null ? mul : add).out.getFirst());
        count("Conv then Mul and Add by scalars");
        return b == null ? List.of(mul) : List.of(mul, add);
    }

    /** x * Clip(x + 3, 0, 6) / 6 into HardSigmoid and Mul (HardSwish from opset 14). */
    private List<Node> hardSwish(Node add) {
        if (!add.op.equals("Add") || add.in.size() != 2) {
            return List.of();
        }
        String x = constants.containsKey(add.in.get(0)) ? add.in.get(1) : add.in.get(0);
        Float three = scalar(add, x);
        Node clip = three != null && three == 3f ? sole(add.out.getFirst(), "Clip") : null;
        if (clip == null || !clipsTo(clip, 0f, 6f)) {
            return List.of();
        }
        Node mul = sole(clip.out.getFirst(), "Mul");
        if (mul == null || mul.in.size() != 2 || !new HashSet<>(mul.in).equals(Set.of(x, clip.out.getFirst()))) {
            return List.of();
        }
        Node div = sole(mul.out.getFirst(), "Div");
        Float six = div == null || !div.in.getFirst().equals(mul.out.getFirst()) ? null : scalar(div, mul.out.getFirst());
        if (six == null || six != 6f) {
            return List.of();
        }
        count("hard-swish");
        add.in.clear();
        add.in.add(x);
        add.attributes.clear();
        if (opset >= 14) {
            add.op = "HardSwish";
            add.out.set(0, div.out.getFirst());
            return List.of(clip, mul, div);
        }
        add.op = "HardSigmoid";
        add.attributes.add(OnnxModel.floatAttribute("alpha", 1f / 6));
        add.attributes.add(OnnxModel.floatAttribute("beta", 0.5f));
        add.out.set(0, clip.out.getFirst());
        mul.out.set(0, div.out.getFirst());
        return List.of(clip, div);
    }

    /** Mul by s, Add b (optional), then Conv: s into the Conv, b too when the Conv is 1x1 without padding. */
    private List<Node> affineBeforeConv(Node mul) {
        if (!mul.op.equals("Mul") || mul.in.size() != 2) {
            return List.of();
        }
        String x = constants.containsKey(mul.in.get(0)) ? mul.in.get(1) : mul.in.get(0);
        Float s = scalar(mul, x);
        if (s == null || s == 0) {
            return List.of();
        }
        Node add = sole(mul.out.getFirst(), "Add");
        Float b = add == null ? null : scalar(add, mul.out.getFirst());
        if (add != null && b == null) {
            return List.of();
        }
        Node conv = sole((add == null ? mul : add).out.getFirst(), "Conv");
        if (conv == null || conv.in.size() < 2 || !constants.containsKey(conv.in.get(1)) || !conv.in.getFirst().equals(
                (add == null ? mul : add).out.getFirst())) {
            return List.of();
        }
        Tensor w = constants.get(conv.in.get(1));
        float[] bias = bias(conv, w);
        if (bias == null) {
            return List.of();
        }
        boolean pointwise = w.dims().length == 4 && w.dims()[2] == 1 && w.dims()[3] == 1 && unpadded(conv);
        conv.in.set(1, constant(scaled(w, s)));
        if (add == null || pointwise) {
            if (add != null) {
                int per = w.values().length / bias.length;
                for (int o = 0; o < bias.length; o++) {
                    double sum = 0;
                    for (int i = o * per; i < (o + 1) * per; i++) {
                        sum += w.values()[i];
                    }
                    bias[o] += (float) (b * sum);
                }
            }
            setBias(conv, bias);
            conv.in.set(0, x);
            count("Mul and Add by scalars then Conv");
            return add == null ? List.of(mul) : List.of(mul, add);
        }
        // conv(s x + b) = conv'(x + b / s) with the weights times s, padding included (zeros either way)
        setBias(conv, bias);
        add.in.clear();
        add.in.add(x);
        add.in.add(constant(new Tensor(new long[] {1}, new float[] {b / s})));
        count("Mul by a scalar then Conv (Add kept)");
        return List.of(mul);
    }

    private boolean unpadded(Node conv) {
        if (conv.attribute("auto_pad") != null) {
            return false;
        }
        List<Field> pads = conv.attribute("pads");
        return pads == null || pads.stream().filter(f -> f.number() == 8).allMatch(f -> f.type() == Protobuf.VARINT
                ? f.value() == 0 : Protobuf.packed(f.bytes()).stream().allMatch(v -> v == 0));
    }

    private boolean clipsTo(Node clip, float min, float max) {
        if (clip.in.size() == 3) {
            Tensor lo = constants.get(clip.in.get(1)), hi = constants.get(clip.in.get(2));
            return lo != null && hi != null && lo.values().length == 1 && hi.values().length == 1
                    && lo.values()[0] == min && hi.values()[0] == max;
        }
        List<Field> lo = clip.attribute("min"), hi = clip.attribute("max");
        return clip.in.size() == 1 && lo != null && hi != null && floatOf(lo) == min && floatOf(hi) == max;
    }

    private static float floatOf(List<Field> attribute) {
        return attribute.stream().filter(f -> f.number() == 2).findFirst().map(Field::float32).orElse(Float.NaN);
    }

    /** The only consumer of {@code tensor} if it is an {@code op} and the tensor is not a graph output. */
    private Node sole(String tensor, String op) {
        List<Node> c = consumers.getOrDefault(tensor, List.of());
        return c.size() == 1 && c.getFirst().op.equals(op) && !graphOutputs.contains(tensor) ? c.getFirst() : null;
    }

    /** The one-element constant {@code n} combines with {@code other}, or null. */
    private Float scalar(Node n, String other) {
        if (n.in.size() != 2 || !n.in.contains(other)) {
            return null;
        }
        Tensor t = constants.get(n.in.get(0).equals(other) ? n.in.get(1) : n.in.get(0));
        return t != null && t.values().length == 1 && t.dims().length <= 1 ? t.values()[0] : null;
    }

    private static Tensor scaled(Tensor t, float s) {
        float[] values = t.values().clone();
        for (int i = 0; i < values.length; i++) {
            values[i] *= s;
        }
        return new Tensor(t.dims(), values);
    }

    /** A copy of the Conv's bias (zeros without one), or null when it is not a constant. */
    private float[] bias(Node conv, Tensor w) {
        if (conv.in.size() < 3) {
            return new float[(int) w.dims()[0]];
        }
        Tensor b = constants.get(conv.in.get(2));
        return b == null || b.values().length != w.dims()[0] ? null : b.values().clone();
    }

    private void setBias(Node conv, float[] bias) {
        String name = constant(new Tensor(new long[] {bias.length}, bias));
        if (conv.in.size() < 3) {
            conv.in.add(name);
        } else {
            conv.in.set(2, name);
        }
    }

    /** A new Constant node holding {@code t}, placed first; returns its output's name. */
    private String constant(Tensor t) {
        String name = model.constant("", t);
        constants.put(name, t);
        return name;
    }

    private void count(String rewrite) {
        folded.merge(rewrite, 1, Integer::sum);
    }
}
