package dev.pixelsense.runtime.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.NotFoundException;
import dev.pixelsense.testing.TinyGguf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufReaderTest {
    @TempDir
    Path dir;

    @Test
    void should_read_every_field_of_the_tiny_model() throws Exception {
        Path file = TinyGguf.write(dir.resolve("tiny.gguf"), 42);

        GgufInfo info = GgufReader.read(file);

        assertThat(info.file()).isEqualTo(file);
        assertThat(info.version()).isEqualTo(3);
        assertThat(info.architecture()).isEqualTo("llama");
        assertThat(info.name()).contains(TinyGguf.NAME);
        assertThat(info.blockCount()).isEqualTo(2);
        assertThat(info.contextLength()).isEqualTo(2048);
        assertThat(info.embeddingLength()).isEqualTo(64);
        assertThat(info.headCount()).isEqualTo(4);
        assertThat(info.headCountKv()).isEqualTo(4);
        assertThat(info.chatTemplate()).contains(TinyGguf.CHATML_TEMPLATE);
        assertThat(info.fileSize()).isEqualTo(Files.size(file));
        assertThat(info.alignment()).isEqualTo(32);
        assertThat(info.dataOffset() % 32).isZero();
        // token_embd + output 2 * 64*259 floats, per layer 2 norms of 64, 4 attention 64x64, 3 ffn 64x128
        long floats = 2L * 64 * 259 + 2 * (2 * 64 + 4 * 64 * 64 + 3 * 64 * 128) + 64;
        assertThat(info.tensorDataSize()).isEqualTo(floats * 4).isEqualTo(info.fileSize() - info.dataOffset());

        assertThat(info.tensors()).hasSize(3 + 9 * 2);
        assertThat(info.tensors().getFirst())
                .isEqualTo(new GgufTensor("token_embd.weight", List.of(64L, 259L), 0, 0, 64 * 259 * 4));
        assertThat(info.tensors()).extracting(GgufTensor::name).contains("blk.1.ffn_down.weight", "output.weight");
        GgufTensor down = info.tensors().stream().filter(t -> t.name().equals("blk.0.ffn_down.weight")).findFirst()
                .orElseThrow();
        assertThat(down.shape()).containsExactly(128L, 64L);
        assertThat(down.elements()).isEqualTo(128 * 64);

        assertThat(info.metadata()).containsEntry("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .containsEntry("tokenizer.ggml.add_bos_token", true)
                .containsEntry("tokenizer.ggml.bos_token_id", 1L)
                .containsEntry("tokenizer.ggml.model", "llama");
    }

    @Test
    void should_skip_large_arrays_but_keep_their_length() throws Exception {
        GgufInfo info = GgufReader.read(TinyGguf.write(dir.resolve("tiny.gguf"), 1));

        assertThat(info.metadata().get("tokenizer.ggml.tokens"))
                .isEqualTo(new GgufArray("string", TinyGguf.VOCAB_SIZE, List.of()));
        assertThat(info.metadata().get("tokenizer.ggml.scores"))
                .isEqualTo(new GgufArray("float32", TinyGguf.VOCAB_SIZE, List.of()));
        assertThat(((GgufArray) info.metadata().get("tokenizer.ggml.token_type")).complete()).isFalse();
    }

    @Test
    void should_estimate_memory_as_weights_plus_f16_kv_cache_plus_overhead() throws Exception {
        GgufInfo info = GgufReader.read(TinyGguf.write(dir.resolve("tiny.gguf"), 1));

        GgufInfo.MemoryEstimate at4k = info.estimateMemory(4096);

        // 2 (K, V) * 2 layers * 4096 tokens * 64 (4 kv heads * 16) * 2 bytes
        assertThat(at4k.kvCache()).isEqualTo(2L * 2 * 4096 * 64 * 2);
        assertThat(at4k.weights()).isEqualTo(info.tensorDataSize());
        assertThat(at4k.runnerOverhead()).isEqualTo(GgufInfo.DEFAULT_RUNNER_OVERHEAD);
        assertThat(at4k.total()).isEqualTo(info.tensorDataSize() + 2L * 2 * 4096 * 64 * 2 + (512L << 20));
        // llama.cpp itself reports "KV self size = 0.25 MiB" for this model at 512 tokens
        assertThat(info.estimateMemory(512, 0).kvCache()).isEqualTo(256 * 1024);
        assertThatThrownBy(() -> info.estimateMemory(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_size_the_kv_cache_by_kv_heads_with_grouped_query_attention() throws Exception {
        GgufInfo info = GgufReader.read(TinyGguf.write(dir.resolve("gqa.gguf"), 1,
                TinyGguf.Options.DEFAULT.withLayers(3).withHeads(8, 2).withContextLength(8192)));

        assertThat(info.headCount()).isEqualTo(8);
        assertThat(info.headCountKv()).isEqualTo(2);
        assertThat(info.blockCount()).isEqualTo(3);
        assertThat(info.contextLength()).isEqualTo(8192);
        // n_embd_kv = 2 kv heads * (64 / 8)
        assertThat(info.estimateMemory(1000, 0).kvCache()).isEqualTo(2L * 3 * 1000 * (2 * 8) * 2);
    }

    @Test
    void should_read_gguf_version_2() throws Exception {
        byte[] bytes = Files.readAllBytes(TinyGguf.write(dir.resolve("tiny.gguf"), 1));
        bytes[4] = 2; // v2 and v3 share the layout; v3 only allowed big-endian files

        GgufInfo info = GgufReader.read(Files.write(dir.resolve("v2.gguf"), bytes));

        assertThat(info.version()).isEqualTo(2);
        assertThat(info.blockCount()).isEqualTo(2);
    }

    @Test
    void should_explain_a_file_cut_anywhere() throws Exception {
        byte[] whole = Files.readAllBytes(TinyGguf.write(dir.resolve("tiny.gguf"), 1));
        int inVocabulary = indexOf(whole, "<0x41>");
        int inTensorInfos = indexOf(whole, "blk.1.attn_q.weight");

        assertThat(readCut(whole, 0)).hasMessageEndingWith("is empty; pull the model again");
        assertThat(readCut(whole, 12)).hasMessageContaining("is truncated or corrupt")
                .hasMessageContaining("the header");
        assertThat(readCut(whole, 40))
                .hasMessageContaining("claims 21 tensors and 24 metadata entries, more than its 40 bytes");
        assertThat(readCut(whole, 400)).hasMessageContaining("inside metadata value \"llama.");
        assertThat(readCut(whole, inVocabulary))
                .hasMessageContaining("inside metadata value \"tokenizer.ggml.tokens\"");
        assertThat(readCut(whole, inTensorInfos)).hasMessageContaining("inside tensor info 12 of 21");
        assertThat(readCut(whole, whole.length - 1))
                .hasMessageContaining("is truncated: tensor \"output.weight\" ends at byte " + whole.length
                        + " but the file has " + (whole.length - 1) + " bytes")
                .hasMessageEndingWith("pull the model again");
        for (int cut = 1; cut < whole.length; cut += 997) {
            assertThat(readCut(whole, cut)).as("cut at %d", cut).hasMessageContaining("pull");
        }
    }

    @Test
    void should_reject_a_file_that_is_not_gguf() throws Exception {
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        Path text = Files.writeString(dir.resolve("model.gguf"), "<html>Not Found</html>");
        Path random = Files.write(dir.resolve("noise.gguf"), noise);

        for (Path file : List.of(text, random)) {
            assertThatThrownBy(() -> GgufReader.read(file)).isInstanceOf(GgufFormatException.class)
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageStartingWith(file + " is not a GGUF model file");
        }
    }

    @Test
    void should_reject_impossible_counts_and_versions_before_reading_on() throws Exception {
        byte[] whole = Files.readAllBytes(TinyGguf.write(dir.resolve("tiny.gguf"), 1));
        byte[] hugeCount = whole.clone();
        ByteBuffer.wrap(hugeCount).order(ByteOrder.LITTLE_ENDIAN).putLong(8, Long.MAX_VALUE / 2);
        byte[] v1 = whole.clone();
        v1[4] = 1;
        byte[] bigEndian = whole.clone();
        ByteBuffer.wrap(bigEndian).putInt(4, 3);

        assertThatThrownBy(() -> GgufReader.read(Files.write(dir.resolve("a.gguf"), hugeCount)))
                .hasMessageContaining("it claims 4611686018427387903 tensors");
        assertThatThrownBy(() -> GgufReader.read(Files.write(dir.resolve("b.gguf"), v1)))
                .hasMessageContaining("is GGUF version 1");
        assertThatThrownBy(() -> GgufReader.read(Files.write(dir.resolve("c.gguf"), bigEndian)))
                .hasMessageContaining("big-endian");
    }

    @Test
    void should_report_a_missing_file_as_not_found() {
        assertThatThrownBy(() -> GgufReader.read(dir.resolve("absent.gguf"))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("model file not found");
    }

    private Throwable readCut(byte[] whole, int length) throws Exception {
        Path cut = Files.write(dir.resolve("cut-" + length + ".gguf"), Arrays.copyOf(whole, length));
        return catchThrowableOfType(GgufFormatException.class, () -> GgufReader.read(cut));
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(needle + " not found");
    }
}
