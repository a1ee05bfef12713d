package dev.pixelsense.model.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.pixelsense.error.UpstreamException;
import dev.pixelsense.model.ChatStream;
import dev.pixelsense.openai.ChatChunk;
import dev.pixelsense.openai.OpenAiJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads an upstream's Server-Sent Events ({@code data: {chunk}} ... {@code data: [DONE]}) as
 * chunks. An {@code {"error": ...}} event, or a connection that ends before {@code [DONE]} and
 * before any finish reason, is a failed answer. Every chunk moves the idle deadline.
 */
final class SseChatStream implements ChatStream {
    // resolved once: MAPPER.readValue looks the deserializer up again on every chunk
    private static final ObjectReader CHUNKS = OpenAiJson.MAPPER.readerFor(ChatChunk.class);
    private final Exchange exchange;
    private final BufferedReader reader;
    private final Duration idle;
    private final StringBuilder data = new StringBuilder();
    // the usual event is one data line: kept as is, so it is not copied into the builder and out
    private String single;
    private boolean done;
    private boolean finished;

    SseChatStream(Exchange exchange, InputStream body, Duration idle) {
        this.exchange = exchange;
        this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 16 * 1024);
        this.idle = idle;
    }

    @Override
    public ChatChunk next() {
        if (done) {
            return null;
        }
        try {
            while (true) {
                String line = reader.readLine();
                if (line == null) {
                    done = true;
                    if (finished) {
                        return null;
                    }
                    throw new UpstreamException("the upstream closed the stream before the answer was complete");
                }
                if (line.isEmpty()) {
                    ChatChunk chunk = dispatch();
                    if (chunk != null) {
                        exchange.watchdog().reset(idle, "next chunk");
                        return chunk;
                    }
                    if (done) {
                        return null;
                    }
                } else if (line.startsWith("data:")) {
                    int from = line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5;
                    if (single == null && data.isEmpty()) {
                        single = line.substring(from);
                    } else {
                        if (single != null) {
                            data.append(single);
                            single = null;
                        }
                        if (!data.isEmpty()) {
                            data.append('\n');
                        }
                        data.append(line, from, line.length());
                    }
                }
                // comments (":"), "event:", "id:" and "retry:" lines carry nothing for us
            }
        } catch (IOException e) {
            done = true;
            throw exchange.failure(e, "streaming the answer");
        }
    }

    private ChatChunk dispatch() throws IOException {
        String payload;
        if (single != null) {
            payload = single;
            single = null;
            if (payload.isEmpty()) {
                return null;
            }
        } else if (data.isEmpty()) {
            return null;
        } else {
            payload = data.toString();
            data.setLength(0);
        }
        if (payload.equals("[DONE]")) {
            done = true;
            return null;
        }
        if (payload.contains("\"error\"")) {
            JsonNode node = OpenAiJson.MAPPER.readTree(payload);
            if (node.has("error")) {
                JsonNode error = node.get("error");
                String message = error.path("message").isTextual() ? error.path("message").asText() : error.toString();
                throw new UpstreamException("the upstream failed mid-answer: " + message);
            }
        }
        ChatChunk chunk = CHUNKS.readValue(payload);
        if (chunk.choices() != null && chunk.choices().stream().anyMatch(c -> c.finishReason() != null)) {
            finished = true;
        }
        return chunk;
    }

    @Override
    public void close() {
        done = true;
        exchange.close();
    }
}
