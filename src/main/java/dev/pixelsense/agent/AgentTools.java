package dev.pixelsense.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.openai.OpenAiJson;
import dev.pixelsense.openai.Tool;
import dev.pixelsense.openai.ToolCall;
import dev.pixelsense.screen.Button;
import dev.pixelsense.screen.KeyCombo;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's tools: their JSON Schema definitions for the model, and the parsing of the model's
 * calls into {@link AgentAction}s. A call that cannot be used is an {@link InvalidCall} whose
 * message goes back to the model, so it can correct itself; nothing is executed for it.
 *
 * <p>Coordinates are fractions 0-1 of the screenshot shown ({@code normalized}) or pixels of it
 * ({@code pixels}); either way they become {@link AgentAction.Spot} fractions here.
 */
public final class AgentTools {
    /** The longest text one type_text call may type. */
    static final int MAX_TYPED = 2000;
    static final double MAX_WAIT_SECONDS = 10;

    /** A tool call the agent cannot use; the message is written for the model. */
    public static final class InvalidCall extends RuntimeException {
        InvalidCall(String message) {
            super(message);
        }
    }

    /** Image sizes the model's pixel coordinates refer to (used with {@code pixels}). */
    record Shown(int width, int height, int zoomWidth, int zoomHeight) {
    }

    private final boolean pixels;

    AgentTools(String coordinates) {
        this.pixels = coordinates.equals("pixels");
    }

    /** How coordinates are given, for the system prompt. */
    String convention(int width, int height) {
        return pixels
                ? "Coordinates are pixels of the screenshot shown (" + width + "x" + height + "): x from the left "
                        + "edge, y from the top edge, (0, 0) the top-left corner."
                : "Coordinates are fractions of the screenshot shown, from 0 to 1: x from the left edge, y from the "
                        + "top edge; (0, 0) is the top-left corner, (1, 1) the bottom-right one, (0.5, 0.5) the "
                        + "centre.";
    }

    List<Tool> definitions() {
        String unit = pixels ? "pixels of the screenshot" : "0-1 of the screenshot width/height";
        return List.of(
                tool("click", "Click at a point. Aim at the centre of the element.",
                        point(unit).put("button", "left|right|middle (default left)")
                                .put("count", "1 (default), 2 for a double click, 3 for a triple click")
                                .put("zoom", "true when x and y refer to the last zoomed image"), "x", "y"),
                tool("drag", "Press at (x1, y1), move to (x2, y2) and release.",
                        schema().put("x1", unit).put("y1", unit).put("x2", unit).put("y2", unit),
                        "x1", "y1", "x2", "y2"),
                tool("scroll", "Turn the mouse wheel at a point: dy > 0 scrolls down, dy < 0 up, dx sideways; "
                        + "one notch is about three lines.", point(unit).put("dx", "notches right (negative: left)")
                        .put("dy", "notches down (negative: up)"), "x", "y"),
                tool("move", "Move the pointer (hover) without clicking.", point(unit), "x", "y"),
                tool("type_text", "Type text into the focused element, as a keyboard would. Newlines press Enter.",
                        schema().put("text", "the text"), "text"),
                tool("key_press", "Press a key or combination, e.g. enter, tab, escape, ctrl+a, ctrl+shift+t, "
                        + "page_down.", schema().put("keys", "keys joined by +"), "keys"),
                tool("wait", "Wait for the screen to change, e.g. while something loads (at most 10 s).",
                        schema().put("seconds", "how long"), "seconds"),
                tool("zoom", "See a region of the screen sharper, to aim precisely; the crop is shown next. "
                        + "Then click with zoom: true and coordinates in the crop.",
                        schema().put("x", unit + ", left edge").put("y", unit + ", top edge")
                                .put("width", unit).put("height", unit), "x", "y", "width", "height"),
                tool("click_text", "Click on visible text found by on-device OCR (exact positions). If several "
                        + "places show it, the candidates are returned and nothing is clicked; call again with nth.",
                        schema().put("text", "the text to click").put("nth", "1-based candidate number, reading order")
                                .put("button", "left|right|middle (default left)")
                                .put("count", "1 (default), 2 or 3"), "text"),
                tool("goal_reached", "The goal is reached: stop and report.", schema().put("summary",
                        "what was done"), "summary"),
                tool("give_up", "The goal cannot be reached: stop and say why.", schema().put("reason", "why"),
                        "reason"));
    }

    /** The action a call asks for, with its points as fractions. */
    AgentAction parse(ToolCall call, Shown shown) {
        if (call.function() == null || call.function().name() == null) {
            throw new InvalidCall("A tool call needs a function name.");
        }
        String name = call.function().name();
        JsonNode args = arguments(call);
        return switch (name) {
            case "click" -> new AgentAction.Click(spot(args, "x", "y", shown), button(args), count(args));
            case "drag" -> new AgentAction.Drag(spot(args, "x1", "y1", shown), spot(args, "x2", "y2", shown));
            case "scroll" -> {
                int dx = integer(args, "dx", 0, -50, 50);
                int dy = integer(args, "dy", 0, -50, 50);
                if (dx == 0 && dy == 0) {
                    throw new InvalidCall("scroll needs dx or dy: notches to turn the wheel.");
                }
                yield new AgentAction.Scroll(spot(args, "x", "y", shown), dx, dy);
            }
            case "move" -> new AgentAction.Move(spot(args, "x", "y", shown));
            case "type_text" -> {
                String text = text(args, "text");
                if (text.length() > MAX_TYPED) {
                    throw new InvalidCall("type_text takes at most " + MAX_TYPED + " characters per call.");
                }
                yield new AgentAction.TypeText(text);
            }
            case "key_press" -> {
                String keys = text(args, "keys");
                try {
                    KeyCombo.parse(keys);
                } catch (BadRequestException e) {
                    throw new InvalidCall(e.getMessage());
                }
                yield new AgentAction.KeyPress(keys);
            }
            case "wait" -> new AgentAction.Wait(number(args, "seconds", 0, MAX_WAIT_SECONDS));
            case "zoom" -> zoom(args, shown);
            case "click_text" -> new AgentAction.ClickText(text(args, "text"),
                    args.has("nth") ? integer(args, "nth", 1, 1, 1000) : null, button(args), count(args));
            case "goal_reached" -> new AgentAction.GoalReached(args.path("summary").asText(""));
            case "give_up" -> new AgentAction.GiveUp(args.path("reason").asText(""));
            default -> throw new InvalidCall("Unknown tool '" + name + "'. Use one of: click, drag, scroll, move, "
                    + "type_text, key_press, wait, zoom, click_text, goal_reached, give_up.");
        };
    }

    private AgentAction zoom(JsonNode args, Shown shown) {
        double x = fraction(args, "x", shown.width());
        double y = fraction(args, "y", shown.height());
        double w = fraction(args, "width", shown.width());
        double h = fraction(args, "height", shown.height());
        if (w <= 0 || h <= 0 || x + w > 1.0001 || y + h > 1.0001) {
            throw new InvalidCall("zoom needs a region inside the screenshot with a positive width and height.");
        }
        return new AgentAction.Zoom(new AgentAction.Box(x, y, Math.min(w, 1 - x), Math.min(h, 1 - y)));
    }

    private static JsonNode arguments(ToolCall call) {
        String raw = call.function().arguments();
        if (raw == null || raw.isBlank()) {
            return OpenAiJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode args = OpenAiJson.MAPPER.readTree(raw);
            if (!args.isObject()) {
                throw new InvalidCall("The arguments of " + call.function().name() + " must be a JSON object.");
            }
            return args;
        } catch (JsonProcessingException e) {
            throw new InvalidCall("The arguments of " + call.function().name() + " are not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    private AgentAction.Spot spot(JsonNode args, String xKey, String yKey, Shown shown) {
        boolean zoom = args.path("zoom").asBoolean(false);
        if (zoom && shown.zoomWidth() == 0) {
            throw new InvalidCall("zoom: true refers to a zoomed image, but there is none yet: call zoom first.");
        }
        return new AgentAction.Spot(fraction(args, xKey, zoom ? shown.zoomWidth() : shown.width()),
                fraction(args, yKey, zoom ? shown.zoomHeight() : shown.height()), zoom);
    }

    private double fraction(JsonNode args, String key, int size) {
        if (pixels) {
            double v = number(args, key, 0, size);
            return Math.min(1.0, (v + (v == Math.rint(v) && v < size ? 0.5 : 0)) / size);
        }
        return number(args, key, 0, 1);
    }

    private static double number(JsonNode args, String key, double min, double max) {
        JsonNode v = args.get(key);
        if (v == null || !(v.isNumber() || v.isTextual() && v.asText().matches("-?[0-9.]+"))) {
            throw new InvalidCall("'" + key + "' is required: a number from " + trim(min) + " to " + trim(max) + ".");
        }
        double d = v.asDouble();
        if (!(d >= min && d <= max)) {
            throw new InvalidCall("'" + key + "' must be from " + trim(min) + " to " + trim(max) + ", got " + d + ".");
        }
        return d;
    }

    private static int integer(JsonNode args, String key, int fallback, int min, int max) {
        return args.has(key) ? (int) Math.round(number(args, key, min, max)) : fallback;
    }

    private static String text(JsonNode args, String key) {
        JsonNode v = args.get(key);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new InvalidCall("'" + key + "' is required: a non-empty string.");
        }
        return v.asText();
    }

    private static Button button(JsonNode args) {
        try {
            return args.has("button") ? Button.parse(args.get("button").asText()) : Button.LEFT;
        } catch (BadRequestException e) {
            throw new InvalidCall(e.getMessage());
        }
    }

    private static int count(JsonNode args) {
        return integer(args, "count", 1, 1, 3);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static ObjectNode schema() {
        return OpenAiJson.MAPPER.createObjectNode();
    }

    private static ObjectNode point(String unit) {
        return schema().put("x", unit).put("y", unit);
    }

    /** A function tool whose parameters are all numbers except the named string/boolean ones. */
    private static Tool tool(String name, String description, ObjectNode fields, String... required) {
        ObjectNode parameters = schema().put("type", "object");
        ObjectNode properties = parameters.putObject("properties");
        fields.properties().forEach(e -> {
            String key = e.getKey();
            String type = switch (key) {
                case "text", "keys", "summary", "reason" -> "string";
                case "button" -> "string";
                case "zoom" -> "boolean";
                case "count", "nth", "dx", "dy" -> "integer";
                default -> "number";
            };
            ObjectNode p = properties.putObject(key).put("type", type).put("description", e.getValue().asText());
            if (key.equals("button")) {
                p.putArray("enum").add("left").add("right").add("middle");
            }
        });
        ArrayNode req = parameters.putArray("required");
        List<String> names = new ArrayList<>(List.of(required));
        names.forEach(req::add);
        return Tool.function(name, description, parameters);
    }
}
