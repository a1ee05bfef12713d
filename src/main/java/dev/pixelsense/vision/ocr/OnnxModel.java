package dev.pixelsense.vision.ocr;

import dev.pixelsense.vision.ocr.OnnxGraph.Node;
import dev.pixelsense.vision.ocr.Protobuf.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An ONNX model opened for rewriting ({@link OnnxOpset}, {@link OnnxQuantizer}): its nodes as a
 * mutable list, everything else kept as read. New tensors become Constant nodes placed first
 * (ONNX Runtime turns them into initializers when it loads the graph).
 */
final class OnnxModel {
    static final int FLOAT = 1, UINT8 = 2, INT8 = 3, INT32 = 6, INT64 = 7;
    private static final int ATTRIBUTE_FLOAT = 1, ATTRIBUTE_INT = 2, ATTRIBUTE_TENSOR = 4, ATTRIBUTE_INTS = 7;

    final List<Node> nodes = new ArrayList<>();
    final List<String> outputs = new ArrayList<>();
    private final List<Field> top;
    private final List<Field> graphRest = new ArrayList<>();
    private final List<Field> addedOutputs = new ArrayList<>();
    long opset;
    private final String prefix;
    private int fresh;

    private OnnxModel(byte[] model, String prefix) {
        this.prefix = prefix;
        top = Protobuf.parse(model);
        opset = top.stream().filter(f -> f.number() == 8).map(f -> Protobuf.parse(f.bytes()))
                .filter(OnnxModel::isDefaultDomain).flatMap(List::stream).filter(f -> f.number() == 2)
                .mapToLong(Field::value).max().orElseThrow(() -> new IllegalArgumentException("not an ONNX model: "
                        + "no opset of the default domain"));
        List<Field> graph = Protobuf.parse(top.stream().filter(f -> f.number() == 7).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not an ONNX model: no graph")).bytes());
        for (Field f : graph) {
            if (f.number() == 1) {
                nodes.add(Node.parse(f.bytes()));
            } else {
                if (f.number() == 12) {
                    outputs.add(Protobuf.parse(f.bytes()).stream().filter(v -> v.number() == 1).findFirst()
                            .map(Field::string).orElse(""));
                }
                graphRest.add(f);
            }
        }
    }

    /** @throws IllegalArgumentException when {@code model} is not an ONNX model */
    static OnnxModel parse(byte[] model, String prefix) {
        return new OnnxModel(model, prefix);
    }

    private static boolean isDefaultDomain(List<Field> opsetId) {
        return opsetId.stream().noneMatch(f -> f.number() == 1 && !f.string().isEmpty() && !f.string().equals("ai.onnx"));
    }

    /** Adds {@code tensor} as a float graph output (to read it while calibrating). */
    void addOutput(String tensor) {
        addOutput(tensor, FLOAT);
    }

    /** Adds {@code tensor} as a graph output of element {@code type} ({@link #FLOAT}, {@link #INT64}, ...). */
    void addOutput(String tensor, int elementType) {
        byte[] tensorType = new Protobuf.Writer().varint(1, elementType).toBytes();
        byte[] type = new Protobuf.Writer().bytes(1, tensorType).toBytes();
        addedOutputs.add(new Field(12, Protobuf.LEN, 0, new Protobuf.Writer().string(1, tensor).bytes(2, type).toBytes()));
        outputs.add(tensor);
    }

    /** A fresh tensor name. */
    String name(String hint) {
        return prefix + hint + "." + fresh++;
    }

    /** A Constant node holding a tensor of {@code type} with little-endian {@code raw} data, placed first. */
    String constant(String hint, int type, long[] dims, byte[] raw) {
        String name = name(hint);
        Protobuf.Writer t = new Protobuf.Writer();
        for (long d : dims) {
            t.varint(1, d);
        }
        return constantNode(name, t.varint(2, type).string(8, name).bytes(9, raw).toBytes());
    }

    /** A Constant node holding the float tensor {@code t}, placed first. */
    String constant(String hint, OnnxGraph.Tensor t) {
        String name = name(hint);
        return constantNode(name, t.bytes(name));
    }

    private String constantNode(String name, byte[] tensor) {
        byte[] attribute = new Protobuf.Writer().string(1, "value").bytes(5, tensor).varint(20, ATTRIBUTE_TENSOR)
                .toBytes();
        nodes.addFirst(Node.of("Constant", name, List.of(), name, List.of(attribute)));
        return name;
    }

    String longs(String hint, long... values) {
        byte[] raw = new byte[8 * values.length];
        for (int i = 0; i < values.length; i++) {
            for (int b = 0; b < 8; b++) {
                raw[8 * i + b] = (byte) (values[i] >>> (8 * b));
            }
        }
        return constant(hint, INT64, new long[] {values.length}, raw);
    }

    static byte[] floatAttribute(String name, float value) {
        return new Protobuf.Writer().string(1, name).float32(2, value).varint(20, ATTRIBUTE_FLOAT).toBytes();
    }

    static byte[] intAttribute(String name, long value) {
        return new Protobuf.Writer().string(1, name).varint(3, value).varint(20, ATTRIBUTE_INT).toBytes();
    }

    static byte[] intsAttribute(String name, long... values) {
        Protobuf.Writer w = new Protobuf.Writer().string(1, name);
        for (long v : values) {
            w.varint(8, v);
        }
        return w.varint(20, ATTRIBUTE_INTS).toBytes();
    }

    /** The values of an INTS (or INT) attribute, or null when {@code n} does not have it. */
    static long[] ints(Node n, String attribute) {
        List<Field> fields = n.attribute(attribute);
        if (fields == null) {
            return null;
        }
        List<Long> values = new ArrayList<>();
        for (Field f : fields) {
            if (f.number() == 8) {
                if (f.type() == Protobuf.LEN) {
                    values.addAll(Protobuf.packed(f.bytes()));
                } else {
                    values.add(f.value());
                }
            } else if (f.number() == 3) {
                values.add(f.value());
            }
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    static void removeAttributes(Node n, Set<String> names) {
        n.attributes.removeIf(a -> Protobuf.parse(a).stream()
                .anyMatch(f -> f.number() == 1 && names.contains(f.string())));
    }

    /** The model written back: nodes in list order, the opset as set, unused Constant nodes dropped. */
    byte[] bytes() {
        Protobuf.Writer g = new Protobuf.Writer();
        Set<String> used = new HashSet<>(outputs);
        nodes.forEach(n -> used.addAll(n.in));
        for (Node n : nodes) {
            if (!n.op.equals("Constant") || used.contains(n.out.getFirst())) {
                g.bytes(1, n.bytes());
            }
        }
        graphRest.forEach(g::field);
        addedOutputs.forEach(g::field);
        Protobuf.Writer m = new Protobuf.Writer();
        for (Field f : top) {
            if (f.number() == 7) {
                m.bytes(7, g.toBytes());
            } else if (f.number() == 1) {
                // opset 14 needs IR version 7 or later
                m.varint(1, Math.max(f.value(), opset >= 14 ? 7 : f.value()));
            } else if (f.number() == 8 && isDefaultDomain(Protobuf.parse(f.bytes()))) {
                m.bytes(8, new Protobuf.Writer().string(1, "").varint(2, opset).toBytes());
            } else {
                m.field(f);
            }
        }
        return m.toBytes();
    }
}
