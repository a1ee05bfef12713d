package dev.pixelsense.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import java.nio.file.Path;
import java.util.List;

/**
 * The in-process target: {@code de.kherud.llama.LlamaModel} in the bench JVM, set up and called
 * the way the built-in runner's {@code LlamaEngine} does it (template, then completion of that
 * prompt), without HTTP.
 */
final class InProcessLlama {
    private InProcessLlama() {
    }

    /**
     * The runner's ModelParameters (LlamaEngine) with llama.cpp's log off. The library announces
     * the extraction of its native code on stdout, which is the report's: it goes to stderr.
     */
    static LlamaModel load(Path gguf, LlamaBench.Options o) {
        java.io.PrintStream out = System.out;
        System.setOut(System.err);
        try {
            return new LlamaModel(new ModelParameters().setModel(gguf.toString()).setCtxSize(o.contextSize())
                    .setParallel(1).setThreads(o.threads()).enableJinja().disableLog());
        } finally {
            System.setOut(out);
        }
    }

    /** The prompt the runner builds for one user message (LlamaEngine: template, then completion). */
    static InferenceParameters sampling(LlamaModel model, String userText, int tokens) {
        String prompt = model.applyTemplate(new InferenceParameters("")
                .setMessages(null, List.of(new Pair<>("user", userText))).setUseChatTemplate(true));
        return new InferenceParameters(prompt).setNPredict(tokens).setCachePrompt(false).setTemperature(0f)
                .setSeed(LlamaBench.SEED);
    }

    /** In-process streamed generation, timed like an HTTP answer: from the call (templating included). */
    static StreamedChat.Result generate(LlamaModel model, String userText, int tokens) {
        long start = System.nanoTime();
        LlamaIterator it = model.generate(sampling(model, userText, tokens)).iterator();
        long first = -1;
        long last = -1;
        int chunks = 0;
        StringBuilder text = new StringBuilder();
        while (it.hasNext()) {
            LlamaOutput out = it.next();
            if (!out.text.isEmpty()) {
                last = System.nanoTime() - start;
                if (first < 0) {
                    first = last;
                }
                chunks++;
                text.append(out.text);
            }
        }
        return new StreamedChat.Result(first, last, System.nanoTime() - start, chunks, -1, null, text.toString());
    }
}
