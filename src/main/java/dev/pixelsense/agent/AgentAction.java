package dev.pixelsense.agent;

import dev.pixelsense.screen.Button;
import java.util.Locale;

/**
 * One thing the model asked the agent to do: a tool call, parsed and checked by {@link AgentTools}.
 * Points are {@link Spot}s, fractions of the image the model was shown; the executor maps them to
 * the exact desktop pixel.
 */
public sealed interface AgentAction {

    /** The tool name, as the model calls it. */
    String tool();

    /** A short form for logs, traces and the loop guard, e.g. {@code click(0.412, 0.220)}. */
    String describe();

    /** Whether the action can change the screen (and so is followed by a settle and a verification). */
    default boolean acts() {
        return true;
    }

    /**
     * A point as fractions 0-1 of the image shown: the screenshot, or with {@code inZoom} the last
     * zoomed crop.
     */
    record Spot(double x, double y, boolean inZoom) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f, %.3f%s", x, y, inZoom ? " in zoom" : "");
        }
    }

    /** A rectangle as fractions 0-1 of the screenshot. */
    record Box(double x, double y, double width, double height) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f, %.3f, %.3f x %.3f", x, y, width, height);
        }
    }

    record Click(Spot at, Button button, int count) implements AgentAction {
        public String tool() {
            return "click";
        }

        public String describe() {
            return "click(" + at + (button == Button.LEFT ? "" : ", " + button.name().toLowerCase(Locale.ROOT))
                    + (count == 1 ? "" : ", x" + count) + ")";
        }
    }

    record Drag(Spot from, Spot to) implements AgentAction {
        public String tool() {
            return "drag";
        }

        public String describe() {
            return "drag(" + from + " -> " + to + ")";
        }
    }

    record Scroll(Spot at, int dx, int dy) implements AgentAction {
        public String tool() {
            return "scroll";
        }

        public String describe() {
            return "scroll(" + at + ", dx " + dx + ", dy " + dy + ")";
        }
    }

    record Move(Spot to) implements AgentAction {
        public String tool() {
            return "move";
        }

        public String describe() {
            return "move(" + to + ")";
        }
    }

    record TypeText(String text) implements AgentAction {
        public String tool() {
            return "type_text";
        }

        public String describe() {
            return "type_text(" + quote(text) + ")";
        }
    }

    record KeyPress(String keys) implements AgentAction {
        public String tool() {
            return "key_press";
        }

        public String describe() {
            return "key_press(" + keys + ")";
        }
    }

    record Wait(double seconds) implements AgentAction {
        public String tool() {
            return "wait";
        }

        public String describe() {
            return String.format(Locale.ROOT, "wait(%.1f s)", seconds);
        }
    }

    record Zoom(Box region) implements AgentAction {
        public String tool() {
            return "zoom";
        }

        public String describe() {
            return "zoom(" + region + ")";
        }

        @Override
        public boolean acts() {
            return false;
        }
    }

    /** Click the text the on-device OCR finds; {@code nth} (1-based) picks among several. */
    record ClickText(String text, Integer nth, Button button, int count) implements AgentAction {
        public String tool() {
            return "click_text";
        }

        public String describe() {
            return "click_text(" + quote(text) + (nth == null ? "" : ", nth " + nth) + ")";
        }
    }

    record GoalReached(String summary) implements AgentAction {
        public String tool() {
            return "goal_reached";
        }

        public String describe() {
            return "goal_reached(" + quote(summary) + ")";
        }

        @Override
        public boolean acts() {
            return false;
        }
    }

    record GiveUp(String reason) implements AgentAction {
        public String tool() {
            return "give_up";
        }

        public String describe() {
            return "give_up(" + quote(reason) + ")";
        }

        @Override
        public boolean acts() {
            return false;
        }
    }

    private static String quote(String s) {
        String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        return '"' + shown.replace("\n", "\\n") + '"';
    }
}
