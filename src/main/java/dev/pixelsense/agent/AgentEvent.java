package dev.pixelsense.agent;

import java.util.Map;

/**
 * Something that happened in a run, in order: {@code run} (it started: goal, model, screen),
 * {@code request} and {@code response} (one model turn), {@code action} (a tool call and its
 * result, with timings), {@code step} (a step's timings), {@code end} (the final status). The same
 * events feed the CLI's live output, the API's SSE stream and the trace's JSONL.
 *
 * @param type one of the types above
 * @param step the step (model turn) it belongs to, 0 before the first
 * @param at   milliseconds since the run started
 * @param data the event's fields (JSON-serializable values)
 */
public record AgentEvent(String type, int step, long at, Map<String, Object> data) {
    public AgentEvent {
        data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }

    /** A field of {@link #data}, or null. */
    public Object get(String key) {
        return data.get(key);
    }
}
