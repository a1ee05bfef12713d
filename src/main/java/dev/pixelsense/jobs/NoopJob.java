package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Job type {@code noop}, for tests and benchmarks: returns its input as {@code echo}. Optional
 * input: {@code sleep_ms} (sleeps in {@code steps} steps, default 1, reporting progress after each;
 * a cancel interrupts the sleep) and {@code fail} (throws, every attempt: a poison job).
 */
public final class NoopJob implements JobHandler {
    @Override
    public String type() {
        return "noop";
    }

    @Override
    public JsonNode run(JobContext context) throws Exception {
        JsonNode input = context.input();
        long sleep = input.path("sleep_ms").asLong(0);
        int steps = Math.max(1, input.path("steps").asInt(1));
        for (int i = 1; i <= steps && sleep > 0; i++) {
            Thread.sleep(sleep / steps);
            context.progress((double) i / steps, "step " + i + " of " + steps);
        }
        if (input.path("fail").asBoolean(false)) {
            throw new IllegalStateException("noop job asked to fail (attempt " + context.attempt() + ")");
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.set("echo", input);
        result.put("attempt", context.attempt());
        return result;
    }
}
