package dev.pixelsense.openai;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An OpenAI Chat Completions request, the lingua franca between clients, the model manager and
 * every backend. Unknown fields are ignored when reading; {@link #validate()} checks what Jackson
 * cannot and names the field at fault.
 *
 * @param keepAlive pixelsense extension (as in Ollama): how long to keep a local model loaded after
 *     this request, e.g. {@code "5m"}, {@code 0}, {@code -1}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatRequest(
        String model,
        List<ChatMessage> messages,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> stop,
        Long seed,
        @JsonProperty("response_format") ResponseFormat responseFormat,
        List<Tool> tools,
        @JsonProperty("tool_choice") JsonNode toolChoice,
        @JsonProperty("parallel_tool_calls") Boolean parallelToolCalls,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        Integer n,
        @JsonProperty("presence_penalty") Double presencePenalty,
        @JsonProperty("frequency_penalty") Double frequencyPenalty,
        String user,
        @JsonProperty("keep_alive") JsonNode keepAlive,
        @JsonProperty("logit_bias") java.util.Map<String, Double> logitBias) {

    /** A request for {@code model} with these messages and nothing else set. */
    public static ChatRequest of(String model, List<ChatMessage> messages) {
        return new ChatRequest(model, messages, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    public boolean includeUsageInStream() {
        return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
    }

    /** The output token limit, whichever of the two spellings the client used. */
    public Integer tokenLimit() {
        return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
    }

    public boolean hasImages() {
        return messages != null && messages.stream().anyMatch(ChatMessage::hasImages);
    }

    public ChatRequest withModel(String newModel) {
        return new ChatRequest(newModel, messages, maxTokens, maxCompletionTokens, temperature, topP, stop, seed,
                responseFormat, tools, toolChoice, parallelToolCalls, stream, streamOptions, n, presencePenalty,
                frequencyPenalty, user, keepAlive, logitBias);
    }

    /** The same request with an output token limit ({@code max_tokens}) and a temperature; nulls leave them unset. */
    public ChatRequest withLimits(Integer newMaxTokens, Double newTemperature) {
        return new ChatRequest(model, messages, newMaxTokens, maxCompletionTokens, newTemperature, topP, stop, seed,
                responseFormat, tools, toolChoice, parallelToolCalls, stream, streamOptions, n, presencePenalty,
                frequencyPenalty, user, keepAlive, logitBias);
    }

    public ChatRequest withMessages(List<ChatMessage> newMessages) {
        return new ChatRequest(model, newMessages, maxTokens, maxCompletionTokens, temperature, topP, stop, seed,
                responseFormat, tools, toolChoice, parallelToolCalls, stream, streamOptions, n, presencePenalty,
                frequencyPenalty, user, keepAlive, logitBias);
    }

    /** The same request offering {@code newTools}; {@code choice} is {@code "auto"}, {@code "required"} or null. */
    public ChatRequest withTools(List<Tool> newTools, String choice) {
        return new ChatRequest(model, messages, maxTokens, maxCompletionTokens, temperature, topP, stop, seed,
                responseFormat, newTools, choice == null ? null : com.fasterxml.jackson.databind.node.TextNode.valueOf(choice),
                parallelToolCalls, stream, streamOptions, n, presencePenalty, frequencyPenalty, user, keepAlive,
                logitBias);
    }

    /** Sets streaming on or off; streaming always asks for usage so the manager can count tokens. */
    public ChatRequest withStreaming(boolean on) {
        return new ChatRequest(model, messages, maxTokens, maxCompletionTokens, temperature, topP, stop, seed,
                responseFormat, tools, toolChoice, parallelToolCalls, on, on ? new StreamOptions(true) : null, n,
                presencePenalty, frequencyPenalty, user, keepAlive, logitBias);
    }

    /** Fills sampling parameters the client left out with a model's defaults. */
    public ChatRequest withDefaults(Double defaultTemperature, Integer defaultMaxTokens) {
        Double t = temperature != null ? temperature : defaultTemperature;
        Integer maxTok = maxTokens;
        Integer maxCompletion = maxCompletionTokens;
        if (maxTok == null && maxCompletion == null && defaultMaxTokens != null) {
            maxTok = defaultMaxTokens;
        }
        return new ChatRequest(model, messages, maxTok, maxCompletion, t, topP, stop, seed, responseFormat, tools,
                toolChoice, parallelToolCalls, stream, streamOptions, n, presencePenalty, frequencyPenalty, user,
                keepAlive, logitBias);
    }

    /** Checks the rules a JSON schema cannot express, naming the field at fault. */
    public void validate() {
        Check.require(model != null && !model.isBlank(), "you must provide a model", "model");
        Check.require(messages != null && !messages.isEmpty(), "messages must be a non-empty array", "messages");
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            Check.require(m != null, "messages[" + i + "] must be an object", "messages[" + i + "]");
            m.validate("messages[" + i + "]");
        }
        Check.range(temperature, 0, 2, "temperature");
        Check.range(topP, 0, 1, "top_p");
        Check.range(presencePenalty, -2, 2, "presence_penalty");
        Check.range(frequencyPenalty, -2, 2, "frequency_penalty");
        Check.require(maxTokens == null || maxTokens >= 1, "max_tokens must be at least 1", "max_tokens");
        Check.require(maxCompletionTokens == null || maxCompletionTokens >= 1,
                "max_completion_tokens must be at least 1", "max_completion_tokens");
        Check.require(n == null || n == 1, "only n=1 is supported", "n");
        Check.require(stop == null || stop.size() <= 4, "stop takes at most 4 sequences", "stop");
        if (responseFormat != null) {
            responseFormat.validate();
        }
        if (tools != null) {
            for (int i = 0; i < tools.size(); i++) {
                tools.get(i).validate("tools[" + i + "]");
            }
        }
        if (toolChoice != null) {
            boolean word = toolChoice.isTextual()
                    && List.of("none", "auto", "required").contains(toolChoice.asText());
            boolean named = toolChoice.isObject() && toolChoice.path("function").path("name").isTextual();
            Check.require(word || named,
                    "tool_choice must be \"none\", \"auto\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":...}}",
                    "tool_choice");
            boolean needsTools = named || toolChoice.asText().equals("required");
            Check.require(!needsTools || tools != null && !tools.isEmpty(), "tool_choice needs tools", "tool_choice");
        }
        if (logitBias != null) {
            for (var e : logitBias.entrySet()) {
                Check.require(e.getKey().matches("\\d{1,9}"), "logit_bias keys must be token ids, got '" + e.getKey() + "'",
                        "logit_bias");
                Check.require(e.getValue() != null && e.getValue() >= -100 && e.getValue() <= 100,
                        "logit_bias values must be between -100 and 100", "logit_bias");
            }
        }
        Check.require(streamOptions == null || streaming(), "stream_options is only allowed when stream is true",
                "stream_options");
    }
}
