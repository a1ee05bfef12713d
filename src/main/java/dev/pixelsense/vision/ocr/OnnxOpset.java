package dev.pixelsense.vision.ocr;

import dev.pixelsense.vision.ocr.OnnxGraph.Node;
import java.util.List;
import java.util.Set;

/**
 * Raises an ONNX model to opset 14, rewriting the operators whose signature changed on the way
 * from 9 or 11 (what PP-OCRv4's recognizer and detector are exported at). Needed for
 * quantization: QuantizeLinear and DequantizeLinear per output channel exist from opset 13, and a
 * single HardSwish operator from 14. Rewritten: Slice (starts, ends, axes become inputs at 10),
 * Clip (min, max become inputs at 11), Squeeze and Unsqueeze (axes an input at 13), Softmax (before
 * 13 it normalizes over all axes from {@code axis} on: spelled Flatten, Softmax, Reshape, exactly the
 * old meaning). Any other operator whose meaning changed in between is refused.
 */
final class OnnxOpset {
    static final int TARGET = 14;
    /** Changed between opset 9 and 14 in ways not rewritten here. */
    private static final Set<String> REFUSED = Set.of("Upsample", "Dropout", "TopK", "Pad", "Split", "ReduceSum",
            "LogSoftmax", "Hardmax", "Scan", "If", "Loop", "GRU", "LSTM", "RNN", "Scatter");

    private OnnxOpset() {
    }

    /** @throws IllegalArgumentException when the model uses an operator this cannot carry over */
    static void upgrade(OnnxModel model) {
        if (model.opset >= TARGET) {
            return;
        }
        for (Node n : List.copyOf(model.nodes)) {
            switch (n.op) {
                case "Slice" -> slice(model, n);
                case "Clip" -> clip(model, n);
                case "Squeeze", "Unsqueeze" -> axesToInput(model, n);
                case "Softmax" -> softmax(model, n);
                case "Resize" -> {
                    if (model.opset < 11) {
                        throw refused(n, model.opset);
                    }
                }
                case "BatchNormalization" -> {
                    // 9 to 14: the same inference semantics; training outputs are not used here
                    if (model.opset < 9 || n.out.size() > 1) {
                        throw refused(n, model.opset);
                    }
                }
                default -> {
                    if (REFUSED.contains(n.op)) {
                        throw refused(n, model.opset);
                    }
                }
            }
        }
        model.opset = TARGET;
    }

    private static IllegalArgumentException refused(Node n, long opset) {
        return new IllegalArgumentException("cannot raise the opset of " + n.op + " from " + opset + " to " + TARGET);
    }

    private static void slice(OnnxModel model, Node n) {
        if (model.opset >= 10) {
            return;
        }
        long[] starts = OnnxModel.ints(n, "starts"), ends = OnnxModel.ints(n, "ends"), axes = OnnxModel.ints(n, "axes");
        if (starts == null || ends == null) {
            throw new IllegalArgumentException("Slice " + n.name + " without starts or ends");
        }
        n.in.add(model.longs("starts", starts));
        n.in.add(model.longs("ends", ends));
        if (axes != null) {
            n.in.add(model.longs("axes", axes));
        }
        n.attributes.clear();
    }

    private static void clip(OnnxModel model, Node n) {
        if (model.opset >= 11) {
            return;
        }
        List<Protobuf.Field> min = n.attribute("min"), max = n.attribute("max");
        n.in.add(min == null ? "" : scalar(model, min, "min"));
        n.in.add(max == null ? "" : scalar(model, max, "max"));
        n.attributes.clear();
    }

    private static String scalar(OnnxModel model, List<Protobuf.Field> attribute, String hint) {
        float v = attribute.stream().filter(f -> f.number() == 2).findFirst().map(Protobuf.Field::float32)
                .orElseThrow(() -> new IllegalArgumentException("Clip " + hint + " is not a float"));
        int bits = Float.floatToRawIntBits(v);
        return model.constant(hint, OnnxModel.FLOAT, new long[0], new byte[] {(byte) bits, (byte) (bits >>> 8),
                (byte) (bits >>> 16), (byte) (bits >>> 24)});
    }

    private static void axesToInput(OnnxModel model, Node n) {
        long[] axes = OnnxModel.ints(n, "axes");
        if (axes == null) {
            if (n.op.equals("Unsqueeze")) {
                throw new IllegalArgumentException("Unsqueeze " + n.name + " without axes");
            }
            return; // Squeeze without axes: every 1, the same at 13
        }
        n.in.add(model.longs("axes", axes));
        OnnxModel.removeAttributes(n, Set.of("axes"));
    }

    private static void softmax(OnnxModel model, Node n) {
        long[] axis = OnnxModel.ints(n, "axis");
        long a = axis == null || axis.length == 0 ? 1 : axis[0];
        String x = n.in.getFirst(), y = n.out.getFirst();
        String shape = model.name("softmax.shape"), flat = model.name("softmax.flat"), soft = model.name("softmax.2d");
        int at = model.nodes.indexOf(n);
        model.nodes.add(at, Node.of("Shape", shape, List.of(x), shape, List.of()));
        model.nodes.add(at + 1, Node.of("Flatten", flat, List.of(x), flat, List.of(OnnxModel.intAttribute("axis", a))));
        n.in.set(0, flat);
        n.out.set(0, soft);
        n.attributes.clear();
        n.attributes.add(OnnxModel.intAttribute("axis", 1));
        model.nodes.add(model.nodes.indexOf(n) + 1, Node.of("Reshape", y, List.of(soft, shape), y, List.of()));
    }
}
