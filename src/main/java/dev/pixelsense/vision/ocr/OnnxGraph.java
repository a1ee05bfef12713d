package dev.pixelsense.vision.ocr;

import dev.pixelsense.vision.ocr.Protobuf.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** The two ONNX messages {@link OnnxFusion} reads and writes: NodeProto and a float TensorProto. */
final class OnnxGraph {
    private static final int FLOAT = 1;

    private OnnxGraph() {
    }

    /** A node: inputs, outputs, name, operator, its attributes as read, and its other fields. */
    static final class Node {
        final List<String> in = new ArrayList<>(), out = new ArrayList<>();
        final List<byte[]> attributes = new ArrayList<>();
        final List<Field> rest = new ArrayList<>();
        String name = "", op = "";

        static Node parse(byte[] b) {
            Node n = new Node();
            for (Field f : Protobuf.parse(b)) {
                switch (f.number()) {
                    case 1 -> n.in.add(f.string());
                    case 2 -> n.out.add(f.string());
                    case 3 -> n.name = f.string();
                    case 4 -> n.op = f.string();
                    case 5 -> n.attributes.add(f.bytes());
                    default -> n.rest.add(f);
                }
            }
            return n;
        }

        static Node of(String op, String name, List<String> in, String out, List<byte[]> attributes) {
            Node n = new Node();
            n.op = op;
            n.name = name;
            n.in.addAll(in);
            n.out.add(out);
            n.attributes.addAll(attributes);
            return n;
        }

        byte[] bytes() {
            Protobuf.Writer w = new Protobuf.Writer();
            in.forEach(s -> w.string(1, s));
            out.forEach(s -> w.string(2, s));
            w.string(3, name).string(4, op);
            attributes.forEach(a -> w.bytes(5, a));
            rest.forEach(w::field);
            return w.toBytes();
        }

        /** The fields of the attribute called {@code attribute}, or null. */
        List<Field> attribute(String attribute) {
            for (byte[] a : attributes) {
                List<Field> fields = Protobuf.parse(a);
                if (fields.stream().anyMatch(f -> f.number() == 1 && f.string().equals(attribute))) {
                    return fields;
                }
            }
            return null;
        }
    }

    /** A float tensor's shape and values. */
    record Tensor(long[] dims, float[] values) {
        byte[] bytes(String name) {
            ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(values);
            Protobuf.Writer w = new Protobuf.Writer();
            for (long d : dims) {
                w.varint(1, d);
            }
            return w.varint(2, FLOAT).string(8, name).bytes(9, raw.array()).toBytes();
        }

        /** A float tensor with its data inline, or null. */
        static Tensor parse(byte[] b) {
            List<Long> dims = new ArrayList<>();
            long type = 0;
            float[] values = null;
            for (Field f : Protobuf.parse(b)) {
                switch (f.number()) {
                    case 1 -> {
                        if (f.type() == Protobuf.LEN) {
                            dims.addAll(Protobuf.packed(f.bytes()));
                        } else {
                            dims.add(f.value());
                        }
                    }
                    case 2 -> type = f.value();
                    case 4, 9 -> {
                        if (f.type() != Protobuf.LEN || values != null) {
                            return null;
                        }
                        values = new float[f.bytes().length / 4];
                        ByteBuffer.wrap(f.bytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                    }
                    case 3, 13, 14 -> {
                        return null; // segments, external data: not these models
                    }
                    default -> {
                    }
                }
            }
            long count = dims.stream().mapToLong(Long::longValue).reduce(1, (x, y) -> x * y);
            return type == FLOAT && values != null && values.length == count
                    ? new Tensor(dims.stream().mapToLong(Long::longValue).toArray(), values) : null;
        }
    }
}
