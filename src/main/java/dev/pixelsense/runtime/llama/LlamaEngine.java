package dev.pixelsense.runtime.llama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.openai.ChatMessage;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.openai.MessageContent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * llama.cpp in this process, through {@code de.kherud:llama}: one loaded GGUF text model and
 * OpenAI chat requests turned into templated generations. Runs inside a runner process only, so
 * a native crash takes the runner down and never the server. Thread-safe: llama.cpp's own server
 * loop queues tasks over its parallel slots.
 */
public final class LlamaEngine implements AutoCloseable {
    /** Tokens generated when a request sets no limit: a random or rambling model must stop somewhere. */
    public static final int DEFAULT_MAX_TOKENS = 512;

    private final LlamaModel model;

    /** A generation's end: the text pieces went to the sink; this is how it ended. */
    public record Finish(String reason, int promptTokens, int completionTokens) {
    }

    /** Loads the model; slow (seconds for real models). */
    public LlamaEngine(Path gguf, int contextSize, int threads, int parallel, int gpuLayers) {
        // enableJinja: without it llama.cpp guesses a built-in template instead of the GGUF's own.
        // No setGpuLayers unless asked: the bundled natives are CPU-only and warn about any value.
        ModelParameters p = new ModelParameters()
                .setModel(gguf.toString())
                .setCtxSize(contextSize * parallel)
                .setParallel(parallel)
                .enableJinja();
        if (gpuLayers != 0) {
            p.setGpuLayers(gpuLayers);
        }
        if (threads > 0) {
            p.setThreads(threads);
        }
        this.model = new LlamaModel(p);
    }

    /**
     * Generates an answer, handing each text piece to {@code sink} as it comes.
     *
     * @param cancelled polled between tokens; true stops the generation and frees its slot
     */
    public Finish generate(ChatRequest request, Consumer<String> sink, java.util.function.BooleanSupplier cancelled) {
        // setMessages only feeds applyTemplate; the completion itself reads the prompt alone
        String prompt = model.applyTemplate(chat(request));
        int promptTokens = model.encode(prompt).length;
        int limit = request.tokenLimit() != null ? request.tokenLimit() : DEFAULT_MAX_TOKENS;
        StringBuilder text = new StringBuilder();
        LlamaIterator it = model.generate(sampling(request, prompt, limit)).iterator();
        boolean done = false;
        try {
            while (it.hasNext()) {
                if (cancelled.getAsBoolean()) {
                    return new Finish("cancelled", promptTokens, model.encode(text.toString()).length);
                }
                LlamaOutput out = it.next();
                if (!out.text.isEmpty()) {
                    text.append(out.text);
                    sink.accept(out.text);
                }
            }
            done = true;
        } finally {
            if (!done) {
                // an iteration left without cancel() keeps its slot generating
                it.cancel();
            }
        }
        // chunks are not tokens (incomplete UTF-8 is held back) and llama.cpp exposes no count here:
        // re-encode the text, an approximation that invalid UTF-8 (a random model) can inflate
        // beyond what was generated, hence the cap at the limit
        int produced = text.isEmpty() ? 0 : Math.min(limit, model.encode(text.toString()).length);
        return new Finish(produced >= limit ? "length" : "stop", promptTokens, produced);
    }

    private static InferenceParameters chat(ChatRequest request) {
        String system = null;
        List<Pair<String, String>> turns = new ArrayList<>();
        for (int i = 0; i < request.messages().size(); i++) {
            ChatMessage m = request.messages().get(i);
            if (m.hasImages()) {
                throw new BadRequestException("the built-in llama.cpp runner reads text only; configure an mmproj "
                        + "(llama-server) for images", "messages[" + i + "].content");
            }
            String text = m.content() == null ? "" : m.content() instanceof MessageContent.Text t ? t.text() : m.text();
            switch (m.role()) {
                case "system", "developer" -> system = system == null ? text : system + "\n" + text;
                case "tool" -> turns.add(new Pair<>("user", "Tool result (" + m.toolCallId() + "): " + text));
                default -> turns.add(new Pair<>(m.role(), text));
            }
        }
        return new InferenceParameters("").setMessages(system, turns).setUseChatTemplate(true);
    }

    private static InferenceParameters sampling(ChatRequest request, String prompt, int limit) {
        InferenceParameters p = new InferenceParameters(prompt)
                .setNPredict(limit)
                // a cached prompt prefix makes seeded output diverge: reuse it only when no seed is set
                .setCachePrompt(request.seed() == null);
        if (request.temperature() != null) {
            p.setTemperature(request.temperature().floatValue());
        }
        if (request.topP() != null) {
            p.setTopP(request.topP().floatValue());
        }
        if (request.seed() != null) {
            p.setSeed((int) (long) request.seed());
        }
        if (request.stop() != null && !request.stop().isEmpty()) {
            p.setStopStrings(request.stop().toArray(String[]::new));
        }
        if (request.logitBias() != null && !request.logitBias().isEmpty()) {
            java.util.Map<Integer, Float> bias = new java.util.HashMap<>();
            request.logitBias().forEach((token, value) -> bias.put(Integer.parseInt(token), value.floatValue()));
            p.setTokenIdBias(bias);
        }
        if (request.presencePenalty() != null) {
            p.setPresencePenalty(request.presencePenalty().floatValue());
        }
        if (request.frequencyPenalty() != null) {
            p.setFrequencyPenalty(request.frequencyPenalty().floatValue());
        }
        return p;
    }

    @Override
    public void close() {
        model.close();
    }
}
