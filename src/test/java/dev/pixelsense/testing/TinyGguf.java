package dev.pixelsense.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a tiny random-weight llama model as a GGUF v3 file that real llama.cpp loads and
 * generates from (the "tiny-model trick" of DESIGN.md): the output is gibberish, the plumbing is real.
 *
 * <p>The vocabulary is byte-level, 259 tokens: {@code <unk>} (0), {@code <s>} (1), {@code </s>} (2),
 * then {@code <0x00>}..{@code <0xFF>} (3..258). With {@code tokenizer.ggml.model = "llama"}
 * (SentencePiece) llama.cpp finds no merges and falls back to the byte tokens, so any text
 * tokenizes to one token per UTF-8 byte (plus BOS, plus the {@code ▁} SentencePiece puts in front).
 * A ChatML-like Jinja template is stored so that chat templating works.
 *
 * <p>Weights are F32 and drawn from a {@link SplittableRandom} seeded with the given seed: the
 * same seed and options give byte-identical files. Default options give a ~0.5 MB file.
 */
public final class TinyGguf {
    public static final int VOCAB_SIZE = 259;
    public static final int UNK = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    /** Token id of byte {@code b} is {@code FIRST_BYTE_TOKEN + b}. */
    public static final int FIRST_BYTE_TOKEN = 3;
    public static final String NAME = "pixelsense-tiny";

    /** ChatML-like, small enough for llama.cpp's Jinja engine (minja) and its legacy detector alike. */
    public static final String CHATML_TEMPLATE = "{% for message in messages %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    static final int ALIGNMENT = 32;

    // GGUF metadata value types (GGUF spec)
    private static final int UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7, STRING = 8, ARRAY = 9;
    private static final int GGML_TYPE_F32 = 0;

    /**
     * Shape of the model. {@code embd} must divide by {@code heads}, {@code heads} by {@code headsKv}
     * (grouped-query attention when smaller).
     */
    public record Options(int layers, int embd, int heads, int headsKv, int feedForward, int contextLength,
            String chatTemplate) {
        public static final Options DEFAULT = new Options(2, 64, 4, 4, 128, 2048, CHATML_TEMPLATE);

        public Options {
            if (layers < 1 || embd < 1 || heads < 1 || headsKv < 1 || feedForward < 1 || contextLength < 1) {
                throw new IllegalArgumentException("all sizes must be positive");
            }
            if (embd % heads != 0 || heads % headsKv != 0) {
                throw new IllegalArgumentException("embd must divide by heads and heads by headsKv, got embd="
                        + embd + " heads=" + heads + " headsKv=" + headsKv);
            }
        }

        public Options withLayers(int n) {
            return new Options(n, embd, heads, headsKv, feedForward, contextLength, chatTemplate);
        }

        public Options withEmbd(int n) {
            return new Options(layers, n, heads, headsKv, feedForward, contextLength, chatTemplate);
        }

        public Options withHeads(int n, int kv) {
            return new Options(layers, embd, n, kv, feedForward, contextLength, chatTemplate);
        }

        public Options withContextLength(int n) {
            return new Options(layers, embd, heads, headsKv, feedForward, n, chatTemplate);
        }

        /** Null stores no template. */
        public Options withChatTemplate(String template) {
            return new Options(layers, embd, heads, headsKv, feedForward, contextLength, template);
        }

        int headDim() {
            return embd / heads;
        }
    }

    private TinyGguf() {
    }

    public static Path write(Path file, long seed) throws IOException {
        return write(file, seed, Options.DEFAULT);
    }

    public static Path write(Path file, long seed, Options o) throws IOException {
        List<Kv> kvs = metadata(o);
        List<Tensor> tensors = tensors(o, new SplittableRandom(seed));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Out out = new Out(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(3).u64(tensors.size()).u64(kvs.size());
            for (Kv kv : kvs) {
                kv.value.write(out.string(kv.key));
            }
            long offset = 0; // relative to the start of the data section, each tensor aligned
            for (Tensor t : tensors) {
                out.string(t.name).u32(t.dims.length);
                for (long d : t.dims) {
                    out.u64(d);
                }
                out.u32(GGML_TYPE_F32).u64(offset);
                offset = align(offset + 4L * t.data.length);
            }
            out.pad();
            for (Tensor t : tensors) {
                for (float f : t.data) {
                    out.f32(f);
                }
                out.pad();
            }
        }
        return file;
    }

    private static List<Kv> metadata(Options o) {
        List<Kv> kvs = new ArrayList<>();
        kvs.add(new Kv("general.architecture", str("llama")));
        kvs.add(new Kv("general.name", str(NAME)));
        kvs.add(new Kv("general.alignment", u32(ALIGNMENT)));
        kvs.add(new Kv("general.file_type", u32(0))); // all F32
        kvs.add(new Kv("llama.vocab_size", u32(VOCAB_SIZE)));
        kvs.add(new Kv("llama.context_length", u32(o.contextLength())));
        kvs.add(new Kv("llama.embedding_length", u32(o.embd())));
        kvs.add(new Kv("llama.block_count", u32(o.layers())));
        kvs.add(new Kv("llama.feed_forward_length", u32(o.feedForward())));
        kvs.add(new Kv("llama.rope.dimension_count", u32(o.headDim())));
        kvs.add(new Kv("llama.rope.freq_base", f32(10000f)));
        kvs.add(new Kv("llama.attention.head_count", u32(o.heads())));
        kvs.add(new Kv("llama.attention.head_count_kv", u32(o.headsKv())));
        kvs.add(new Kv("llama.attention.layer_norm_rms_epsilon", f32(1e-5f)));

        String[] tokens = new String[VOCAB_SIZE];
        float[] scores = new float[VOCAB_SIZE];
        int[] types = new int[VOCAB_SIZE];
        tokens[UNK] = "<unk>";
        tokens[BOS] = "<s>";
        tokens[EOS] = "</s>";
        types[UNK] = 2; // llama.cpp token types: 1 normal, 2 unknown, 3 control, 6 byte
        types[BOS] = 3;
        types[EOS] = 3;
        for (int b = 0; b < 256; b++) {
            // upper-case hex: the spelling llama.cpp's byte fallback looks up
            tokens[FIRST_BYTE_TOKEN + b] = "<0x%02X>".formatted(b);
            types[FIRST_BYTE_TOKEN + b] = 6;
        }
        kvs.add(new Kv("tokenizer.ggml.model", str("llama")));
        kvs.add(new Kv("tokenizer.ggml.tokens", array(STRING, VOCAB_SIZE, (out, i) -> out.string(tokens[i]))));
        kvs.add(new Kv("tokenizer.ggml.scores", array(FLOAT32, VOCAB_SIZE, (out, i) -> out.f32(scores[i]))));
        kvs.add(new Kv("tokenizer.ggml.token_type", array(INT32, VOCAB_SIZE, (out, i) -> out.u32(types[i]))));
        kvs.add(new Kv("tokenizer.ggml.unknown_token_id", u32(UNK)));
        kvs.add(new Kv("tokenizer.ggml.bos_token_id", u32(BOS)));
        kvs.add(new Kv("tokenizer.ggml.eos_token_id", u32(EOS)));
        kvs.add(new Kv("tokenizer.ggml.add_bos_token", bool(true)));
        kvs.add(new Kv("tokenizer.ggml.add_eos_token", bool(false)));
        if (o.chatTemplate() != null) {
            kvs.add(new Kv("tokenizer.chat_template", str(o.chatTemplate())));
        }
        return kvs;
    }

    /**
     * Tensor dims are in GGUF order, innermost (contiguous) first: a matrix mapping n_in to n_out
     * is {@code [n_in, n_out]}, the embedding table is {@code [n_embd, n_vocab]}.
     */
    private static List<Tensor> tensors(Options o, SplittableRandom rnd) {
        int embd = o.embd(), ff = o.feedForward(), kv = o.headsKv() * o.headDim();
        List<Tensor> ts = new ArrayList<>();
        ts.add(random("token_embd.weight", rnd, 1.0, embd, VOCAB_SIZE));
        for (int i = 0; i < o.layers(); i++) {
            String p = "blk." + i + ".";
            ts.add(ones(p + "attn_norm.weight", embd));
            ts.add(random(p + "attn_q.weight", rnd, scale(embd), embd, embd));
            ts.add(random(p + "attn_k.weight", rnd, scale(embd), embd, kv));
            ts.add(random(p + "attn_v.weight", rnd, scale(embd), embd, kv));
            ts.add(random(p + "attn_output.weight", rnd, scale(embd), embd, embd));
            ts.add(ones(p + "ffn_norm.weight", embd));
            ts.add(random(p + "ffn_gate.weight", rnd, scale(embd), embd, ff));
            ts.add(random(p + "ffn_up.weight", rnd, scale(embd), embd, ff));
            ts.add(random(p + "ffn_down.weight", rnd, scale(ff), ff, embd));
        }
        ts.add(ones("output_norm.weight", embd));
        // logits of std ~2 over a normalised hidden state: varied output, not a near-uniform mush
        ts.add(random("output.weight", rnd, 2.0 / Math.sqrt(embd), embd, VOCAB_SIZE));
        return ts;
    }

    private static double scale(int fanIn) {
        return 1.0 / Math.sqrt(fanIn);
    }

    private static Tensor random(String name, SplittableRandom rnd, double std, long... dims) {
        float[] data = new float[Math.toIntExact(count(dims))];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (rnd.nextGaussian() * std);
        }
        return new Tensor(name, dims, data);
    }

    private static Tensor ones(String name, long n) {
        float[] data = new float[Math.toIntExact(n)];
        Arrays.fill(data, 1f);
        return new Tensor(name, new long[] {n}, data);
    }

    private static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static Value str(String s) {
        return out -> out.u32(STRING).string(s);
    }

    private static Value u32(int v) {
        return out -> out.u32(UINT32).u32(v);
    }

    private static Value f32(float v) {
        return out -> out.u32(FLOAT32).f32(v);
    }

    private static Value bool(boolean v) {
        return out -> out.u32(BOOL).bytes(new byte[] {(byte) (v ? 1 : 0)});
    }

    private static Value array(int elementType, int length, Element element) {
        return out -> {
            out.u32(ARRAY).u32(elementType).u64(length);
            for (int i = 0; i < length; i++) {
                element.write(out, i);
            }
        };
    }

    private record Kv(String key, Value value) {
    }

    private record Tensor(String name, long[] dims, float[] data) {
    }

    @FunctionalInterface
    private interface Value {
        void write(Out out) throws IOException;
    }

    @FunctionalInterface
    private interface Element {
        void write(Out out, int index) throws IOException;
    }

    /** Little-endian output that knows its position, for alignment padding. */
    private static final class Out implements AutoCloseable {
        private final OutputStream out;
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        private long position;

        Out(OutputStream out) {
            this.out = out;
        }

        Out bytes(byte[] b) throws IOException {
            out.write(b);
            position += b.length;
            return this;
        }

        Out u32(int v) throws IOException {
            return bytes(Arrays.copyOf(scratch.clear().putInt(v).array(), 4));
        }

        Out u64(long v) throws IOException {
            return bytes(scratch.clear().putLong(v).array().clone());
        }

        Out f32(float v) throws IOException {
            return u32(Float.floatToRawIntBits(v));
        }

        Out string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u64(b.length).bytes(b);
        }

        void pad() throws IOException {
            bytes(new byte[Math.toIntExact(align(position) - position)]);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
