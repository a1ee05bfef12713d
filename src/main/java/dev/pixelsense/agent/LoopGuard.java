package dev.pixelsense.agent;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Stops a run that keeps doing the same thing to no effect: the same action (same tool, points
 * within 1% of the screen, same text) three times among the last five actions, each time without a
 * visible change. A model that clicks a dead spot would otherwise spend every remaining step there.
 */
final class LoopGuard {
    static final int WINDOW = 5;
    static final int REPEATS = 3;

    private record Seen(String key, boolean changed) {
    }

    private final Deque<Seen> recent = new ArrayDeque<>();

    /** Records an executed action; returns true when the run should stop. */
    boolean record(AgentAction action, boolean changed) {
        recent.addLast(new Seen(key(action), changed));
        if (recent.size() > WINDOW) {
            recent.removeFirst();
        }
        String k = key(action);
        return !changed && recent.stream().filter(s -> !s.changed() && s.key().equals(k)).count() >= REPEATS;
    }

    /** The action with its points rounded to hundredths: "the same" for a model's jitter. */
    static String key(AgentAction action) {
        return switch (action) {
            case AgentAction.Click c -> "click " + round(c.at()) + " " + c.button() + " " + c.count();
            case AgentAction.Drag d -> "drag " + round(d.from()) + " " + round(d.to());
            case AgentAction.Scroll s -> "scroll " + round(s.at()) + " " + s.dx() + " " + s.dy();
            case AgentAction.Move m -> "move " + round(m.to());
            default -> action.describe();
        };
    }

    private static String round(AgentAction.Spot s) {
        return Math.round(s.x() * 100) + "," + Math.round(s.y() * 100) + (s.inZoom() ? "z" : "");
    }
}
