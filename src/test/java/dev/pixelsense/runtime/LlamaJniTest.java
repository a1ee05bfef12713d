package dev.pixelsense.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import dev.pixelsense.testing.TinyGguf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learning tests: what {@code de.kherud:llama:4.2.0} (llama.cpp build 4916, its server code run
 * in-process) really does with a tiny generated model. They pin the facts the built-in runner is
 * designed on, so an upgrade that changes one of them fails here first:
 * <ul>
 *   <li>{@code setMessages}/{@code setUseChatTemplate} only affect {@link LlamaModel#applyTemplate};
 *       completion reads {@code prompt} alone, so chat = applyTemplate, then complete that prompt;</li>
 *   <li>the GGUF's own Jinja template is rendered only with {@link ModelParameters#enableJinja()},
 *       without it llama.cpp guesses a built-in template and silently falls back to ChatML;</li>
 *   <li>streamed chunks are not tokens (incomplete UTF-8 is held back, the last chunk is empty);
 *       stop reason and token counts are not exposed;</li>
 *   <li>an iteration left without {@link LlamaIterator#cancel()} keeps its slot generating;</li>
 *   <li>a seeded request reproduces its output only with {@code setCachePrompt(false)}: reusing a
 *       cached prompt prefix (the default) diverged in 21 of 45 repeats here;</li>
 *   <li>{@link LlamaModel#close()} does not unmap the weights nor free the KV cache: unloading a
 *       model for real takes a process exit, hence one runner process per model.</li>
 * </ul>
 */
class LlamaJniTest {
    private static final int THREADS = 2;
    private static Path tiny;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeModel() throws Exception {
        tiny = TinyGguf.write(dir.resolve("tiny.gguf"), 42);
    }

    /**
     * disableLog() pauses llama.cpp's logger process-wide: setLogger alone is undone by every load.
     * No setGpuLayers: the bundled natives are CPU-only and warn about any value.
     */
    private static ModelParameters params(Path model) {
        return new ModelParameters().setModel(model.toString()).setCtxSize(512).setThreads(THREADS).disableLog();
    }

    @Test
    void should_tokenize_bytes_and_complete_deterministically_per_seed() {
        try (LlamaModel model = new LlamaModel(params(tiny))) {
            // SentencePiece puts U+2581 (3 bytes) before the text; encode() adds no BOS, the prompt gets one
            byte[] bytes = "\u2581Hello".getBytes(StandardCharsets.UTF_8);
            int[] expected = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                expected[i] = TinyGguf.FIRST_BYTE_TOKEN + (bytes[i] & 0xFF);
            }
            assertThat(model.encode("Hello")).containsExactly(expected);

            String a = model.complete(sampled("Hello", 7));
            String again = model.complete(sampled("Hello", 7));
            String other = model.complete(sampled("Hello", 8));
            String greedy = model.complete(sampled("Hello", 1).setTemperature(0f));

            assertThat(a).isNotEmpty().isEqualTo(again).isNotEqualTo(other);
            assertThat(model.complete(sampled("Hello", 2).setTemperature(0f))).isEqualTo(greedy);
        }
    }

    @Test
    void should_end_the_text_before_a_stop_string() {
        try (LlamaModel model = new LlamaModel(params(tiny))) {
            String full = model.complete(sampled("Hello", 9));
            // random bytes decode to U+FFFD in places; a stop string must be text the model really wrote
            int at = firstAsciiLetterOrDigit(full, 3);
            String stop = full.substring(at, at + 1);

            String cut = model.complete(sampled("Hello", 9).setStopStrings(stop));

            assertThat(cut).isEqualTo(full.substring(0, full.indexOf(stop)));
        }
    }

    @Test
    void should_render_the_gguf_chat_template_only_with_jinja_enabled() throws Exception {
        Path custom = TinyGguf.write(dir.resolve("custom-template.gguf"), 42, TinyGguf.Options.DEFAULT
                .withChatTemplate("{% for m in messages %}[{{ m['role'] }}]: {{ m['content'] }}\n{% endfor %}"
                        + "{% if add_generation_prompt %}[bot]:{% endif %}"));
        InferenceParameters chat = new InferenceParameters("")
                .setMessages("Be terse.", List.of(new Pair<>("user", "Hi"))).setUseChatTemplate(true);

        try (LlamaModel model = new LlamaModel(params(custom).enableJinja())) {
            assertThat(model.applyTemplate(chat)).isEqualTo("[system]: Be terse.\n[user]: Hi\n[bot]:");
        }
        try (LlamaModel model = new LlamaModel(params(custom))) {
            assertThat(model.applyTemplate(chat)).startsWith("<|im_start|>system\nBe terse.<|im_end|>");
        }
    }

    @Test
    void should_generate_a_chat_reply_from_the_templated_prompt() {
        try (LlamaModel model = new LlamaModel(params(tiny).enableJinja())) {
            InferenceParameters chat = sampled("", 3).setNPredict(16).setUseChatTemplate(true).setMessages("Be terse.",
                    List.of(new Pair<>("user", "Hi"), new Pair<>("assistant", "Yo"), new Pair<>("user", "Again")));

            String prompt = model.applyTemplate(chat);
            String reply = model.complete(sampled(prompt, 3).setNPredict(16));

            assertThat(prompt).isEqualTo("<|im_start|>system\nBe terse.<|im_end|>\n"
                    + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nYo<|im_end|>\n"
                    + "<|im_start|>user\nAgain<|im_end|>\n<|im_start|>assistant\n");
            // one token per byte, spaces escaped to U+2581 (3 bytes) and one in front; the slot adds BOS
            assertThat(model.encode(prompt)).hasSize(
                    ("\u2581" + prompt.replace(' ', '\u2581')).getBytes(StandardCharsets.UTF_8).length);
            assertThat(reply).isNotEmpty();
            // the messages themselves are ignored by completion: same output as the empty prompt
            assertThat(model.complete(chat)).isEqualTo(model.complete(sampled("", 3).setNPredict(16)));
        }
    }

    @Test
    void should_stream_chunks_that_add_up_to_the_completion() {
        int tokens = 256;
        try (LlamaModel model = new LlamaModel(params(tiny))) {
            model.complete(new InferenceParameters("warm up").setNPredict(8));
            List<String> chunks = new ArrayList<>();
            long start = System.nanoTime();
            long firstChunk = 0;
            for (LlamaOutput out : model.generate(sampled("Hello", 11).setNPredict(tokens).setIgnoreEos(true))) {
                if (chunks.isEmpty()) {
                    firstChunk = System.nanoTime() - start;
                }
                chunks.add(out.text);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String whole = model.complete(sampled("Hello", 11).setNPredict(tokens).setIgnoreEos(true));

            assertThat(String.join("", chunks)).isEqualTo(whole);
            assertThat(chunks).hasSizeLessThanOrEqualTo(tokens + 1).last().isEqualTo("");
            System.out.printf("tiny model, %d threads: %d tokens in %d chunks, %.0f tokens/s, first chunk %.1f ms%n",
                    THREADS, tokens, chunks.size(), tokens / seconds, firstChunk / 1e6);
        }
    }

    @Test
    void should_free_the_slot_at_once_when_a_stream_is_cancelled() {
        // one slot: if cancel() did not free it, the next request would wait for an endless generation
        try (LlamaModel model = new LlamaModel(params(tiny).setParallel(1))) {
            LlamaIterator endless = model.generate(new InferenceParameters("Hello").setNPredict(-1).setIgnoreEos(true))
                    .iterator();
            for (int i = 0; i < 5; i++) {
                endless.next();
            }
            endless.cancel();

            assertThat(endless.hasNext()).isFalse();
            String next = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> model.complete(new InferenceParameters("Hi").setNPredict(4).setIgnoreEos(true)));
            assertThat(next).isNotNull();
        }
    }

    @Test
    void should_serve_concurrent_requests_from_one_model_in_parallel_slots() throws Exception {
        // each slot gets ctx / parallel tokens of context
        try (LlamaModel model = new LlamaModel(params(tiny).setCtxSize(1024).setParallel(2));
                ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                InferenceParameters p = sampled("Request " + i, i).setNPredict(64).setIgnoreEos(true);
                replies.add(pool.submit(() -> {
                    StringBuilder text = new StringBuilder();
                    model.generate(p).forEach(out -> text.append(out.text));
                    return text.toString();
                }));
            }
            for (Future<String> reply : replies) {
                assertThat(reply.get(60, TimeUnit.SECONDS)).isNotEmpty();
            }
        }
    }

    @Test
    void should_keep_the_weights_mapped_after_close() throws Exception {
        Path file = TinyGguf.write(dir.resolve("leak-probe.gguf"), 1);
        for (int i = 0; i < 2; i++) {
            try (LlamaModel model = new LlamaModel(params(file))) {
                model.complete(new InferenceParameters("Hi").setNPredict(2));
            }
        }
        long mappings = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.endsWith(file.getFileName().toString())).count();

        assertThat(mappings).as("close() leaves every loaded copy mapped").isEqualTo(2);
    }

    @Test
    void should_throw_a_runtime_exception_for_a_file_that_is_not_gguf() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.gguf"), "not a model");

        assertThatThrownBy(() -> new LlamaModel(params(garbage)))
                .isInstanceOf(RuntimeException.class) // de.kherud.llama.LlamaException, package-private
                .hasMessage("could not load model from given file path");
        try (LlamaModel model = new LlamaModel(params(tiny))) {
            assertThat(model.complete(new InferenceParameters("Hi").setNPredict(2))).isNotNull();
        }
    }

    /** Without the prompt cache: a request that reuses a cached prefix may not reproduce a seeded output. */
    private static InferenceParameters sampled(String prompt, int seed) {
        return new InferenceParameters(prompt).setNPredict(64).setSeed(seed).setTemperature(1f).setCachePrompt(false);
    }

    private static int firstAsciiLetterOrDigit(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128 && Character.isLetterOrDigit(c) && s.indexOf(c) == i) {
                return i;
            }
        }
        throw new AssertionError("no ASCII letter or digit in " + s);
    }
}
