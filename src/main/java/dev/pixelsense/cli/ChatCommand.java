package dev.pixelsense.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.Pixelsense;
import dev.pixelsense.model.ChatStream;
import dev.pixelsense.openai.ChatChunk;
import dev.pixelsense.openai.ChatMessage;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.openai.ContentPart;
import dev.pixelsense.openai.OpenAiJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Ask a model and stream its answer to the terminal.",
                "Goes through the running server at the config's address (or --url), so local models load "
                        + "there and show in 'pixelsense ps'; with no server there, runs the model in this "
                        + "process."})
final class ChatCommand implements Callable<Integer> {
    @Mixin
    ServerOption server;

    @Option(names = "--local", description = "Run the model in this process even when a server is running.")
    boolean local;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model id or alias from the config.")
    String model;

    @Parameters(index = "1", paramLabel = "PROMPT", description = "What to ask.")
    String prompt;

    @Option(names = {"-i", "--image"}, paramLabel = "FILE", description = "Attach an image (repeatable).")
    List<Path> images = new ArrayList<>();

    @Option(names = {"-s", "--system"}, description = "A system prompt.")
    String system;

    @Option(names = "--max-tokens", description = "Limit the answer length.")
    Integer maxTokens;

    @Option(names = "--temperature", description = "Sampling temperature, 0-2.")
    Double temperature;

    @Override
    public Integer call() throws IOException {
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        if (images.isEmpty()) {
            messages.add(ChatMessage.user(prompt));
        } else {
            List<ContentPart> parts = new ArrayList<>();
            parts.add(ContentPart.text(prompt));
            for (Path image : images) {
                parts.add(ContentPart.image(dataUrl(image)));
            }
            messages.add(ChatMessage.user(parts));
        }
        ChatRequest request = ChatRequest.of(model, messages).withLimits(maxTokens, temperature).withStreaming(true);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (!local && server.streamEvents("/v1/chat/completions", OpenAiJson.write(request), data -> print(out, data))) {
            out.println();
            return 0;
        }
        try (Pixelsense px = Pixelsense.open(server.config.load(), System::getenv);
             ChatStream stream = px.stream(request)) {
            for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
                if (c.text() != null) {
                    out.print(c.text());
                }
            }
            out.println();
        }
        return 0;
    }

    /** One event from the server: a chunk's text is printed, an error event ends the command. */
    private static void print(PrintStream out, String data) {
        if (data.equals("[DONE]")) {
            return;
        }
        JsonNode event;
        try {
            event = OpenAiJson.MAPPER.readTree(data);
        } catch (IOException e) {
            throw new IllegalStateException("the server sent an event that is not JSON: " + data);
        }
        if (event.has("error")) {
            out.println();
            throw new IllegalStateException(ServerOption.errorMessage(200, data.getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode content = event.path("choices").path(0).path("delta").path("content");
        if (content.isTextual()) {
            out.print(content.asText());
        }
    }

    private static String dataUrl(Path file) throws IOException {
        ImageFile image = ImageFile.read(file);
        return "data:" + image.header().mimeType() + ";base64," + Base64.getEncoder().encodeToString(image.bytes());
    }
}
