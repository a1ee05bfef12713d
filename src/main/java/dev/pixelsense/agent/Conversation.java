package dev.pixelsense.agent;

import dev.pixelsense.openai.ChatMessage;
import dev.pixelsense.openai.ContentPart;
import dev.pixelsense.openai.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's conversation with the model, kept small: the system prompt, the goal, the last
 * {@code keep} turns in full (each with its screenshot), and one summary line per older turn in
 * their place, so a long run costs the model no more than a short one.
 *
 * <p>A turn is what the model saw (text + images), what it answered (an assistant message,
 * usually tool calls) and the result of each call. Tool results are text (most providers take no
 * images there); the next screenshot and any zoomed crop go in the next turn's user message.
 */
final class Conversation {
    private final String system;
    private final String goal;
    private final int keep;
    private final List<Turn> turns = new ArrayList<>();

    private static final class Turn {
        final int step;
        final List<ContentPart> seen;
        ChatMessage answer;
        final List<ChatMessage> results = new ArrayList<>();
        final List<String> summary = new ArrayList<>();

        Turn(int step, List<ContentPart> seen) {
            this.step = step;
            this.seen = seen;
        }
    }

    Conversation(String system, String goal, int keep) {
        this.system = system;
        this.goal = goal;
        this.keep = keep;
    }

    /** Starts a turn: what the model is shown now (a note, the screenshot, maybe a zoomed crop). */
    void observe(int step, String note, List<String> imageUrls) {
        List<ContentPart> parts = new ArrayList<>();
        parts.add(ContentPart.text(note));
        imageUrls.forEach(u -> parts.add(ContentPart.image(u)));
        turns.add(new Turn(step, parts));
    }

    /** The model's answer to the current turn. */
    void answered(ChatMessage assistant) {
        current().answer = ChatMessage.assistant(assistant.text(), assistant.toolCalls());
    }

    /** The result of one tool call of the current answer, and its line for the summary of old turns. */
    void result(ToolCall call, String text, String summaryLine) {
        current().results.add(ChatMessage.tool(call.id(), text));
        current().summary.add(summaryLine);
    }

    /** A note on the current answer when it had no tool calls (goes in the summary only). */
    void note(String summaryLine) {
        current().summary.add(summaryLine);
    }

    private Turn current() {
        return turns.getLast();
    }

    /** The messages for the next request. */
    List<ChatMessage> messages() {
        List<ChatMessage> out = new ArrayList<>();
        out.add(ChatMessage.system(system));
        int firstKept = Math.max(0, turns.size() - keep);
        StringBuilder head = new StringBuilder("Goal: ").append(goal);
        if (firstKept > 0) {
            head.append("\n\nEarlier steps (screenshots no longer shown):");
            for (Turn t : turns.subList(0, firstKept)) {
                head.append("\n- step ").append(t.step).append(": ")
                        .append(t.summary.isEmpty() ? "no action" : String.join("; ", t.summary));
            }
        }
        for (int i = firstKept; i < turns.size(); i++) {
            Turn t = turns.get(i);
            List<ContentPart> parts = new ArrayList<>();
            if (i == firstKept) {
                parts.add(ContentPart.text(head.toString()));
            }
            parts.addAll(t.seen);
            out.add(ChatMessage.user(parts));
            if (t.answer != null) {
                out.add(t.answer);
                out.addAll(t.results);
            }
        }
        return out;
    }
}
