package dev.pixelsense.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One streamed piece of an answer, {@code object: "chat.completion.chunk"}. With
 * {@code stream_options.include_usage} the last chunk has no choices and carries the usage.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatChunk(
        String id,
        String object,
        long created,
        String model,
        List<Choice> choices,
        Usage usage,
        @JsonProperty("system_fingerprint") String systemFingerprint) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Choice(int index, Delta delta, @JsonProperty("finish_reason") String finishReason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content, @JsonProperty("tool_calls") List<ToolCall> toolCalls,
                        String refusal) {
    }

    public ChatChunk withModel(String servedBy) {
        return new ChatChunk(id, object, created, servedBy, choices, usage, systemFingerprint);
    }

    public ChatChunk withoutUsage() {
        return new ChatChunk(id, object, created, model, choices, null, systemFingerprint);
    }

    /** True for the usage-only chunk that ends a stream with {@code include_usage}. */
    public boolean usageOnly() {
        return (choices == null || choices.isEmpty()) && usage != null;
    }

    /** The first choice's delta text, or null. */
    public String text() {
        return choices == null || choices.isEmpty() || choices.getFirst().delta() == null
                ? null : choices.getFirst().delta().content();
    }
}
