package dev.pixelsense.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Set;

/** One message of a conversation: system, developer, user, assistant or tool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(
        String role,
        MessageContent content,
        String name,
        @JsonProperty("tool_calls") List<ToolCall> toolCalls,
        @JsonProperty("tool_call_id") String toolCallId,
        String refusal) {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    public static ChatMessage system(String text) {
        return new ChatMessage("system", new MessageContent.Text(text), null, null, null, null);
    }

    public static ChatMessage user(String text) {
        return new ChatMessage("user", new MessageContent.Text(text), null, null, null, null);
    }

    public static ChatMessage user(List<ContentPart> parts) {
        return new ChatMessage("user", new MessageContent.Parts(parts), null, null, null, null);
    }

    public static ChatMessage assistant(String text, List<ToolCall> toolCalls) {
        return new ChatMessage("assistant", text == null ? null : new MessageContent.Text(text), null,
                toolCalls == null || toolCalls.isEmpty() ? null : toolCalls, null, null);
    }

    public static ChatMessage tool(String toolCallId, String text) {
        return new ChatMessage("tool", new MessageContent.Text(text), null, null, toolCallId, null);
    }

    /** The text of this message: the string content, or its text parts joined. */
    public String text() {
        return content == null ? null : content.text();
    }

    public boolean hasImages() {
        return content instanceof MessageContent.Parts parts
                && parts.parts().stream().anyMatch(p -> p instanceof ContentPart.ImagePart);
    }

    void validate(String at) {
        Check.require(role != null, at + ".role is required", at + ".role");
        Check.require(ROLES.contains(role),
                at + ".role must be one of system, developer, user, assistant, tool; got '" + role + "'", at + ".role");
        switch (role) {
            case "tool" -> {
                Check.require(toolCallId != null, at + ".tool_call_id is required for role 'tool'", at + ".tool_call_id");
                Check.require(content != null, at + ".content is required", at + ".content");
            }
            case "assistant" -> Check.require(content != null || toolCalls != null && !toolCalls.isEmpty(),
                    at + " needs content or tool_calls", at + ".content");
            default -> Check.require(content != null, at + ".content is required", at + ".content");
        }
        if (content instanceof MessageContent.Parts parts) {
            Check.require(!parts.parts().isEmpty(), at + ".content must not be an empty array", at + ".content");
            for (int i = 0; i < parts.parts().size(); i++) {
                ContentPart part = parts.parts().get(i);
                String partAt = at + ".content[" + i + "]";
                Check.require(part != null, partAt + " must be an object", partAt);
                part.validate(partAt);
                Check.require(!(part instanceof ContentPart.ImagePart) || role.equals("user"),
                        partAt + ": images are only allowed in user messages", partAt);
            }
        }
        if (toolCalls != null) {
            Check.require(role.equals("assistant"), at + ".tool_calls is only allowed in assistant messages",
                    at + ".tool_calls");
            for (int i = 0; i < toolCalls.size(); i++) {
                ToolCall call = toolCalls.get(i);
                String callAt = at + ".tool_calls[" + i + "]";
                Check.require(call != null && call.id() != null, callAt + ".id is required", callAt + ".id");
                Check.require(call.function() != null && call.function().name() != null,
                        callAt + ".function.name is required", callAt + ".function.name");
            }
        }
    }
}
