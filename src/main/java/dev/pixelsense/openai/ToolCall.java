package dev.pixelsense.openai;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A tool call in an assistant message, or a fragment of one in a streamed delta (then
 * {@code index} says which call the fragment belongs to and the other fields may be partial).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolCall(Integer index, String id, String type, FunctionCall function) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionCall(String name, String arguments) {
    }

    public static ToolCall function(String id, String name, String arguments) {
        return new ToolCall(null, id, "function", new FunctionCall(name, arguments));
    }
}
