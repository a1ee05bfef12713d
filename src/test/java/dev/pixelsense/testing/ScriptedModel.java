package dev.pixelsense.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A vision model over the OpenAI protocol that plays prepared tool calls, one turn per request
 * (an assistant message with {@code tool_calls}, finish_reason {@code tool_calls}), for the agent
 * tests. When the script runs out it calls give_up, so a test never hangs on it. The requests it
 * received (with their screenshots and tool results) are in {@link #requests()}.
 */
public final class ScriptedModel implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tool call: the tool and its arguments. */
    public record Call(String tool, ObjectNode args) {
    }

    private final FakeUpstream upstream;
    private final ConcurrentLinkedQueue<Object> turns = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ids = new AtomicInteger();

    public ScriptedModel() throws IOException {
        upstream = new FakeUpstream().always((request, reply) -> {
            Object turn = turns.poll();
            if (turn instanceof FakeUpstream.Script script) {
                script.answer(request, reply);
                return;
            }
            @SuppressWarnings("unchecked")
            List<Call> calls = turn == null ? List.of(call("give_up", "reason", "the test script ran out"))
                    : (List<Call>) turn;
            ObjectNode message = JSON.createObjectNode().put("role", "assistant");
            message.putNull("content");
            ArrayNode toolCalls = message.putArray("tool_calls");
            for (Call c : calls) {
                ObjectNode tc = toolCalls.addObject().put("id", "call_" + ids.incrementAndGet()).put("type", "function");
                tc.putObject("function").put("name", c.tool()).put("arguments", c.args().toString());
            }
            reply.json(200, FakeUpstream.completion(message, "tool_calls", 100, 20));
        });
    }

    /** The base URL for a model config ({@code base_url}). */
    public String baseUrl() {
        return upstream.baseUrl();
    }

    /** Queues the next turn: these calls in one answer. */
    public ScriptedModel then(Call... calls) {
        turns.add(List.of(calls));
        return this;
    }

    /** Queues a turn answered by a raw script (e.g. a text answer, or one held until the client leaves). */
    public ScriptedModel thenRaw(FakeUpstream.Script script) {
        turns.add(script);
        return this;
    }

    public void clear() {
        turns.clear();
        upstream.received().clear();
    }

    public List<FakeUpstream.Received> requests() {
        return upstream.received();
    }

    public FakeUpstream upstream() {
        return upstream;
    }

    /** A call with its arguments given as key, value pairs. */
    public static Call call(String tool, Object... kv) {
        ObjectNode args = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            args.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
        }
        return new Call(tool, args);
    }

    /** The text of the tool messages in a request, in order. */
    public static List<String> toolResults(FakeUpstream.Received request) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode m : request.body().path("messages")) {
            if (m.path("role").asText().equals("tool")) {
                out.add(m.path("content").asText());
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        upstream.close();
    }
}
