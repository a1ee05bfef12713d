package dev.pixelsense.runtime.gguf;

import dev.pixelsense.error.NotFoundException;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the header of a GGUF file (versions 2 and 3, little-endian): metadata and tensor
 * descriptions, never the tensor data. A 5 GB model reads in milliseconds; arrays longer than
 * {@link #MAX_KEPT_ARRAY} elements are skipped without being read.
 *
 * <p>Layout (GGUF spec): magic {@code GGUF}, uint32 version, uint64 tensor count, uint64 metadata
 * count; metadata as (string key, uint32 type, value); tensor infos as (string name, uint32 n_dims,
 * uint64 dims[n_dims], uint32 ggml type, uint64 offset); padding to {@code general.alignment}
 * (default 32); tensor data. Strings are a uint64 length and UTF-8 bytes.
 *
 * <p>Thread-safe: {@link #read} keeps no state between calls.
 */
public final class GgufReader {
    /** Arrays up to this many elements are kept in {@link GgufInfo#metadata()}: per-layer values, not vocabularies. */
    public static final int MAX_KEPT_ARRAY = 128;

    static final long DEFAULT_ALIGNMENT = 32;
    private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final int MAX_DIMS = 4; // GGML_MAX_DIMS
    private static final String[] TYPE_NAMES = {"uint8", "int8", "uint16", "int16", "uint32", "int32", "float32",
        "bool", "string", "array", "uint64", "int64", "float64"};
    private static final int[] TYPE_SIZES = {1, 1, 2, 2, 4, 4, 4, 1, 8, 12, 8, 8, 8}; // minimum bytes a value takes
    private static final int STRING = 8, ARRAY = 9;

    private final Path file;
    private final LittleEndianInput in;
    private String where = "the header";

    private GgufReader(Path file, LittleEndianInput in) {
        this.file = file;
        this.in = in;
    }

    /**
     * Reads the metadata and tensor infos of {@code file}.
     *
     * @throws GgufFormatException the file is not GGUF, is of an unsupported version, or is cut short
     * @throws NotFoundException the file does not exist
     */
    public static GgufInfo read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            GgufReader reader = new GgufReader(file, new LittleEndianInput(channel, size));
            try {
                return reader.readInfo(size);
            } catch (EOFException e) {
                throw reader.truncated(size);
            }
        } catch (NoSuchFileException e) {
            throw new NotFoundException("model file not found: " + file, "model", "model_file_not_found");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private GgufInfo readInfo(long size) throws IOException {
        if (size == 0) {
            throw new GgufFormatException(file + " is empty; pull the model again");
        }
        if (size < 4 && startsLikeGguf((int) size)) {
            throw truncated(size);
        }
        if (size < 4 || in.i32() != MAGIC) {
            throw new GgufFormatException(file + " is not a GGUF model file (it does not start with \"GGUF\"); "
                    + "llama.cpp models are .gguf files, convert other formats with llama.cpp's convert_hf_to_gguf.py");
        }
        int version = in.i32();
        if (version == 1) {
            throw new GgufFormatException(file + " is GGUF version 1, which llama.cpp no longer reads; "
                    + "download or convert a current version of the model");
        }
        if (version != 2 && version != 3) {
            String why = Integer.reverseBytes(version) == 3 || Integer.reverseBytes(version) == 2
                    ? "is a big-endian GGUF file; use the little-endian build of the model"
                    : "has GGUF version " + Integer.toUnsignedString(version)
                            + ", newer than this pixelsense reads (2, 3)";
            throw new GgufFormatException(file + " " + why);
        }
        long tensorCount = in.i64();
        long kvCount = in.i64();
        // every entry takes at least 12 bytes: reject absurd counts before allocating anything
        if (tensorCount < 0 || kvCount < 0 || tensorCount > size / 12 || kvCount > size / 12) {
            throw new GgufFormatException(file + " is truncated or corrupt: it claims " + tensorCount + " tensors and "
                    + kvCount + " metadata entries, more than its " + size + " bytes can hold; pull the model again");
        }

        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            where = "metadata entry " + (i + 1) + " of " + kvCount;
            String key = string();
            where = "metadata value \"" + key + "\"";
            metadata.put(key, value(type()));
        }
        long alignment = metadata.get("general.alignment") instanceof Number n ? n.longValue() : DEFAULT_ALIGNMENT;
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw corrupt("has general.alignment " + alignment + ", not a power of two");
        }

        List<GgufTensor> tensors = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            where = "tensor info " + (i + 1) + " of " + tensorCount;
            tensors.add(tensor());
        }
        long dataOffset = Math.ceilDiv(in.position(), alignment) * alignment;
        for (GgufTensor t : tensors) {
            if (t.bytes() >= 0 && dataOffset + t.offset() + t.bytes() > size) {
                throw new GgufFormatException(file + " is truncated: tensor \"" + t.name() + "\" ends at byte "
                        + (dataOffset + t.offset() + t.bytes()) + " but the file has " + size
                        + " bytes; the download was probably cut short, pull the model again");
            }
        }
        return new GgufInfo(file, size, version, alignment, dataOffset, metadata, tensors);
    }

    /** A file of 1 to 3 bytes that begins like "GGUF" is a download cut short, not another format. */
    private boolean startsLikeGguf(int size) throws IOException {
        for (int i = 0; i < size; i++) {
            if (in.u8() != "GGUF".charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private GgufTensor tensor() throws IOException {
        String name = string();
        long dims = in.u32();
        if (dims < 1 || dims > MAX_DIMS) {
            throw corrupt("says tensor \"" + name + "\" has " + dims + " dimensions (1 to " + MAX_DIMS + " allowed)");
        }
        List<Long> shape = new ArrayList<>();
        long elements = 1;
        for (int d = 0; d < dims; d++) {
            long n = in.i64();
            if (n < 0 || (n > 0 && elements > Long.MAX_VALUE / n)) {
                throw corrupt("gives tensor \"" + name + "\" an impossible shape");
            }
            shape.add(n);
            elements *= n;
        }
        int type = in.i32();
        long offset = in.i64();
        return new GgufTensor(name, shape, type, offset, GgmlTypes.bytes(type, elements));
    }

    private int type() throws IOException {
        int type = in.i32();
        if (type < 0 || type >= TYPE_NAMES.length) {
            throw corrupt("has unknown metadata type " + type + " in " + where);
        }
        return type;
    }

    private Object value(int type) throws IOException {
        return switch (type) {
            case 0 -> in.u8();
            case 1 -> (int) (byte) in.u8();
            case 2 -> Short.toUnsignedInt(in.i16());
            case 3 -> (int) in.i16();
            case 4 -> in.u32();
            case 5 -> in.i32();
            case 6 -> in.f32();
            case 7 -> in.u8() != 0;
            case STRING -> string();
            case ARRAY -> array();
            case 10, 11 -> in.i64(); // uint64 above Long.MAX_VALUE does not occur in real files
            case 12 -> in.f64();
            default -> throw new IllegalStateException("unreachable: type checked in type()");
        };
    }

    private GgufArray array() throws IOException {
        int type = type();
        long length = in.i64();
        if (length < 0 || length > in.remaining() / TYPE_SIZES[type]) {
            throw new EOFException(); // more elements than bytes left: cut short (or corrupt)
        }
        if (length <= MAX_KEPT_ARRAY) {
            List<Object> values = new ArrayList<>();
            for (long i = 0; i < length; i++) {
                values.add(value(type));
            }
            return new GgufArray(TYPE_NAMES[type], length, values);
        }
        skipArray(type, length);
        return new GgufArray(TYPE_NAMES[type], length, List.of());
    }

    /** Fixed-size elements are skipped in one move; strings one length prefix at a time. */
    private void skipArray(int type, long length) throws IOException {
        if (type == STRING) {
            for (long i = 0; i < length; i++) {
                in.skip(stringLength());
            }
        } else if (type == ARRAY) {
            for (long i = 0; i < length; i++) {
                skipArray(type(), in.i64());
            }
        } else {
            in.skip(length * TYPE_SIZES[type]);
        }
    }

    private String string() throws IOException {
        return in.utf8((int) stringLength());
    }

    private long stringLength() throws IOException {
        long length = in.i64();
        if (length < 0 || length > in.remaining()) {
            throw new EOFException();
        }
        if (length > Integer.MAX_VALUE) {
            throw corrupt("has a string of " + length + " bytes in " + where);
        }
        return length;
    }

    private GgufFormatException truncated(long size) {
        return new GgufFormatException(file + " is truncated or corrupt: it ends (at " + size + " bytes) inside "
                + where + "; the download was probably cut short, pull the model again");
    }

    private GgufFormatException corrupt(String what) {
        return new GgufFormatException(file + " is not a valid GGUF file: it " + what
                + "; pull the model again or pick another file");
    }
}
