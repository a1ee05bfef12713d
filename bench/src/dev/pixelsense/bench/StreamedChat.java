package dev.pixelsense.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.openai.OpenAiJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One streamed chat request over HTTP, timed from the moment it is sent: to the first chunk whose
 * {@code delta.content} is not empty (time to first token; the role-only chunk a server sends
 * before generating does not count), to the last content chunk, and to {@code data: [DONE]}.
 * The client work (line reading, JSON parsing) is the same for every target.
 */
final class StreamedChat {
    private final HttpClient http;

    StreamedChat(HttpClient http) {
        this.http = http;
    }

    /** What came back; times in nanoseconds since the request was sent. */
    record Result(long firstContentNs, long lastContentNs, long doneNs, int contentChunks, int usageCompletionTokens,
                  String finishReason, String text) {
    }

    static byte[] body(String prompt, int maxTokens) {
        ObjectNode root = OpenAiJson.MAPPER.createObjectNode().put("model", LlamaBench.MODEL_ID).put("stream", true)
                .put("max_tokens", maxTokens).put("temperature", 0).put("seed", LlamaBench.SEED);
        root.putArray("messages").addObject().put("role", "user").put("content", prompt);
        root.putObject("stream_options").put("include_usage", true);
        return OpenAiJson.write(root);
    }

    Result send(URI chatUrl, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(chatUrl).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw new IOException(chatUrl + " answered " + response.statusCode() + ": " + readAll(reader));
            }
            long first = -1;
            long last = -1;
            int chunks = 0;
            int usage = -1;
            String finish = null;
            StringBuilder text = new StringBuilder();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.startsWith("data:")) {
                    continue; // blank separators and ": loading" comments
                }
                String data = line.substring(line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5);
                if (data.equals("[DONE]")) {
                    if (first < 0) {
                        throw new IOException(chatUrl + ": the stream ended without any content");
                    }
                    return new Result(first, last, System.nanoTime() - start, chunks, usage, finish, text.toString());
                }
                JsonNode chunk = OpenAiJson.MAPPER.readTree(data);
                if (chunk.has("error")) {
                    throw new IOException(chatUrl + ": error event " + chunk.get("error"));
                }
                JsonNode choice = chunk.path("choices").path(0);
                String content = choice.path("delta").path("content").asText("");
                if (!content.isEmpty()) {
                    long now = System.nanoTime() - start;
                    if (first < 0) {
                        first = now;
                    }
                    last = now;
                    chunks++;
                    text.append(content);
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.get("finish_reason").asText();
                }
                if (chunk.path("usage").has("completion_tokens")) {
                    usage = chunk.path("usage").get("completion_tokens").asInt();
                }
            }
            throw new IOException(chatUrl + ": the stream ended without [DONE]");
        }
    }

    private static String readAll(BufferedReader reader) throws IOException {
        StringBuilder s = new StringBuilder();
        for (String line = reader.readLine(); line != null && s.length() < 2000; line = reader.readLine()) {
            s.append(line);
        }
        return s.toString();
    }
}
