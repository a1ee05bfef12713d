package dev.pixelsense.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A whole (non-streamed) answer, {@code object: "chat.completion"}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletion(
        String id,
        String object,
        long created,
        String model,
        List<Choice> choices,
        Usage usage,
        @JsonProperty("system_fingerprint") String systemFingerprint) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Choice(int index, ChatMessage message, @JsonProperty("finish_reason") String finishReason) {
    }

    public ChatCompletion withModel(String servedBy) {
        return new ChatCompletion(id, object, created, servedBy, choices, usage, systemFingerprint);
    }

    /** The first choice's text, or null. */
    public String text() {
        return choices == null || choices.isEmpty() || choices.getFirst().message() == null
                ? null : choices.getFirst().message().text();
    }
}
