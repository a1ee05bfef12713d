package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.model.CallContext;
import dev.pixelsense.openai.ChatCompletion;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.openai.OpenAiJson;

/**
 * Job type {@code chat}: the input is any Chat Completions body; the result is the completion, as
 * {@code POST /v1/chat/completions} would answer it. The job's {@code model}, when given, overrides
 * the body's. Runs through the model manager (fallbacks, admission, metrics); a cancel closes the
 * upstream request. An invalid body fails the job at once (no retry).
 */
public final class ChatJob implements JobHandler {
    /** The model manager's chat call, as the job needs it. */
    @FunctionalInterface
    public interface Chat {
        ChatCompletion chat(ChatRequest request, CallContext context);
    }

    private final Chat chat;

    public ChatJob(Chat chat) {
        this.chat = chat;
    }

    @Override
    public String type() {
        return "chat";
    }

    @Override
    public JsonNode run(JobContext context) {
        ChatRequest request = request(context.job());
        CallContext call = new CallContext();
        context.onCancel(call::cancel);
        context.progress(0, "asking " + request.model());
        ChatCompletion completion = chat.chat(request, call);
        return OpenAiJson.MAPPER.valueToTree(completion);
    }

    /** Refuses a bad body now, not as a failed job later; the body's model becomes the job's (for routing). */
    @Override
    public JobRequest prepare(JobRequest job) {
        ChatRequest request = request(job.input(), job.model());
        return job.model() == null ? job.withModel(request.model()) : job;
    }

    /** The chat body of a job. */
    public static ChatRequest request(Job job) {
        return request(job.input(), job.model());
    }

    public static ChatRequest request(JsonNode input, String model) {
        if (!input.isObject()) {
            throw new BadRequestException("a chat job's input is a Chat Completions body (an object)", "input");
        }
        ChatRequest request = OpenAiJson.read(OpenAiJson.write(input), ChatRequest.class);
        if (model != null) {
            request = request.withModel(model);
        }
        request = request.withStreaming(false);
        request.validate();
        return request;
    }
}
