package dev.pixelsense.vision.ocr;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The protobuf wire format, just enough to walk an ONNX model and write a changed graph back
 * ({@link OnnxFusion}); fields are kept as they were read, so whatever is not changed is written
 * back byte for byte. No dependency on protobuf-java for ~10 MB read once at load.
 */
final class Protobuf {
    static final int VARINT = 0, I64 = 1, LEN = 2, I32 = 5;

    /** One field: its number and wire type, the value of a varint, the bytes of the others. */
    record Field(int number, int type, long value, byte[] bytes) {
        String string() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        float float32() {
            return Float.intBitsToFloat((bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8 | (bytes[2] & 0xFF) << 16
                    | (bytes[3] & 0xFF) << 24);
        }
    }

    private Protobuf() {
    }

    /** The fields of a message, in order. */
    static List<Field> parse(byte[] b) {
        List<Field> fields = new ArrayList<>();
        int[] at = {0};
        while (at[0] < b.length) {
            long key = varint(b, at);
            int number = (int) (key >>> 3), type = (int) (key & 7);
            switch (type) {
                case VARINT -> fields.add(new Field(number, type, varint(b, at), null));
                case LEN -> {
                    int length = Math.toIntExact(varint(b, at));
                    fields.add(new Field(number, type, 0, slice(b, at, length)));
                }
                case I32 -> fields.add(new Field(number, type, 0, slice(b, at, 4)));
                case I64 -> fields.add(new Field(number, type, 0, slice(b, at, 8)));
                default -> throw new IllegalArgumentException("not a protobuf message: wire type " + type
                        + " at byte " + at[0]);
            }
        }
        return fields;
    }

    /** The varints of a packed repeated field. */
    static List<Long> packed(byte[] b) {
        List<Long> values = new ArrayList<>();
        int[] at = {0};
        while (at[0] < b.length) {
            values.add(varint(b, at));
        }
        return values;
    }

    private static byte[] slice(byte[] b, int[] at, int length) {
        if (length < 0 || at[0] + length > b.length) {
            throw new IllegalArgumentException("not a protobuf message: a field runs past the end");
        }
        byte[] out = new byte[length];
        System.arraycopy(b, at[0], out, 0, length);
        at[0] += length;
        return out;
    }

    private static long varint(byte[] b, int[] at) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= b.length) {
                throw new IllegalArgumentException("not a protobuf message: a varint runs past the end");
            }
            byte c = b[at[0]++];
            result |= (long) (c & 0x7F) << shift;
            if (c >= 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("not a protobuf message: a varint longer than 10 bytes");
    }

    /** Writes a message field by field. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer field(Field f) {
            return switch (f.type()) {
                case VARINT -> varint(f.number(), f.value());
                case LEN -> bytes(f.number(), f.bytes());
                default -> {
                    key(f.number(), f.type());
                    out.writeBytes(f.bytes());
                    yield this;
                }
            };
        }

        Writer varint(int number, long value) {
            key(number, VARINT);
            raw(value);
            return this;
        }

        Writer bytes(int number, byte[] value) {
            key(number, LEN);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        Writer string(int number, String value) {
            return bytes(number, value.getBytes(StandardCharsets.UTF_8));
        }

        Writer float32(int number, float value) {
            key(number, I32);
            int bits = Float.floatToRawIntBits(value);
            for (int i = 0; i < 4; i++) {
                out.write(bits >>> (8 * i));
            }
            return this;
        }

        byte[] toBytes() {
            return out.toByteArray();
        }

        private void key(int number, int type) {
            raw((long) number << 3 | type);
        }

        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
