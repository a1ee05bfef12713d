package dev.pixelsense.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Folds streamed chunks into the whole answer they spell, joining tool-call fragments by their
 * {@code index}. Not thread-safe: one aggregator per stream.
 */
public final class ChatAggregator {
    private final StringBuilder content = new StringBuilder();
    private final TreeMap<Integer, ToolCallBuilder> toolCalls = new TreeMap<>();
    private String id;
    private String model;
    private long created;
    private String finishReason;
    private Usage usage;
    private boolean sawContent;

    public void add(ChatChunk chunk) {
        if (id == null) {
            id = chunk.id();
            model = chunk.model();
            created = chunk.created();
        }
        if (chunk.usage() != null) {
            usage = chunk.usage();
        }
        if (chunk.choices() == null) {
            return;
        }
        for (ChatChunk.Choice choice : chunk.choices()) {
            if (choice.finishReason() != null) {
                finishReason = choice.finishReason();
            }
            ChatChunk.Delta delta = choice.delta();
            if (delta == null) {
                continue;
            }
            if (delta.content() != null) {
                content.append(delta.content());
                sawContent = true;
            }
            if (delta.toolCalls() != null) {
                for (ToolCall fragment : delta.toolCalls()) {
                    int index = fragment.index() == null ? toolCalls.size() : fragment.index();
                    toolCalls.computeIfAbsent(index, i -> new ToolCallBuilder()).add(fragment);
                }
            }
        }
    }

    public ChatCompletion result() {
        List<ToolCall> calls = new ArrayList<>();
        toolCalls.values().forEach(b -> calls.add(b.build()));
        ChatMessage message = ChatMessage.assistant(sawContent || calls.isEmpty() ? content.toString() : null, calls);
        return new ChatCompletion(id, "chat.completion", created, model,
                List.of(new ChatCompletion.Choice(0, message, finishReason)), usage, null);
    }

    private static final class ToolCallBuilder {
        private String id;
        private String name;
        private final StringBuilder arguments = new StringBuilder();

        void add(ToolCall fragment) {
            if (fragment.id() != null) {
                id = fragment.id();
            }
            if (fragment.function() != null) {
                if (fragment.function().name() != null) {
                    name = fragment.function().name();
                }
                if (fragment.function().arguments() != null) {
                    arguments.append(fragment.function().arguments());
                }
            }
        }

        ToolCall build() {
            return ToolCall.function(id, name, arguments.toString());
        }
    }
}
