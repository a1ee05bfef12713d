package dev.pixelsense.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.pixelsense.testing.FakeUpstream;
import dev.pixelsense.testing.Images;
import dev.pixelsense.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat API through the official OpenAI Java SDK, against a real server and a fake upstream. */
class ChatApiTest {
    private FakeUpstream upstream;
    private TestServer server;
    private OpenAIClient client;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUpstream();
        server = TestServer.start("""
                models:
                  - id: vision-1
                    backend: openai
                    base_url: %s
                    api_key: upstream-secret
                    upstream_model: real-upstream-name
                    aliases: [default]
                    defaults: {temperature: 0.3, max_tokens: 256}
                  - id: org/model
                    backend: openai
                    base_url: %s
                """.formatted(upstream.baseUrl(), upstream.baseUrl()));
        client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("unused")
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        upstream.close();
    }

    @Test
    void should_answer_a_request_with_an_image_and_say_which_model_served_it() {
        String image = Images.pngDataUrl(64, 48);
        upstream.next((r, reply) -> reply.text("a blue square", 11, 3));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("default")
                .addSystemMessage("You describe images.")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(image).build()).build())))
                .build();

        try (HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params)) {
            ChatCompletion answer = raw.parse();
            assertThat(answer.choices().getFirst().message().content()).hasValue("a blue square");
            assertThat(answer.model()).isEqualTo("vision-1");
            assertThat(raw.headers().values("x-pixelsense-model")).containsExactly("vision-1");
            assertThat(answer.usage().orElseThrow().totalTokens()).isEqualTo(14);
        }
        FakeUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("authorization")).isEqualTo("Bearer upstream-secret");
        assertThat(sent.body().path("model").asText()).isEqualTo("real-upstream-name");
        assertThat(sent.body().path("messages").get(1).path("content").get(1).path("image_url").path("url").asText())
                .isEqualTo(image);
        assertThat(sent.body().path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(256);
    }

    @Test
    void should_pass_sampling_and_format_parameters_through() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("vision-1").addUserMessage("json please")
                .maxCompletionTokens(50L).temperature(1.5).topP(0.9).stop("END").seed(42L)
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("answer")
                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object")).build())
                        .build()).build())
                .build();

        client.chat().completions().create(params);

        var body = upstream.last().body();
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(50);
        assertThat(body.has("max_tokens")).as("the model default must not override the client's limit").isFalse();
        assertThat(body.path("temperature").asDouble()).isEqualTo(1.5);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("stop").get(0).asText()).isEqualTo("END");
        assertThat(body.path("response_format").path("json_schema").path("name").asText()).isEqualTo("answer");
        assertThat(body.path("stream").asBoolean()).isFalse();
        assertThat(body.path("seed").asLong()).isEqualTo(42);
    }

    @Test
    void should_stream_tokens_and_report_usage_when_asked() {
        upstream.next((r, reply) -> reply.stream(List.of("Hel", "lo", " there"), 0));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("vision-1")
                .addUserMessage("hi")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        StringBuilder text = new StringBuilder();
        List<Long> usage = new ArrayList<>();
        List<String> models = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                models.add(chunk.model());
                chunk.usage().ifPresent(u -> usage.add(u.totalTokens()));
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
            });
        }

        assertThat(text.toString()).isEqualTo("Hello there");
        assertThat(usage).containsExactly(10L);
        assertThat(models).containsOnly("vision-1");
        assertThat(upstream.last().body().path("stream").asBoolean()).isTrue();
    }

    @Test
    void should_not_send_usage_chunks_to_a_client_that_did_not_ask() {
        upstream.next((r, reply) -> reply.stream(List.of("a", "b"), 0));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("vision-1")
                .addUserMessage("hi").build();
        List<Boolean> hadUsage = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> hadUsage.add(chunk.usage().isPresent()));
        }

        assertThat(hadUsage).isNotEmpty().containsOnly(false);
        assertThat(upstream.last().body().path("stream_options").path("include_usage").asBoolean())
                .as("pixelsense asks upstreams for usage to count tokens").isTrue();
    }

    @Test
    void should_return_tool_calls_and_accept_tool_results() {
        var call = FakeUpstream.completion(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("role", "assistant").putNull("content")
                .set("tool_calls", new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode().add(
                        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("id", "call_1")
                                .put("type", "function").set("function",
                                        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                                                .put("name", "click").put("arguments", "{\"x\":0.5,\"y\":0.25}")))),
                "tool_calls", 20, 9);
        upstream.next((r, reply) -> reply.json(200, call));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("vision-1")
                .addUserMessage("press OK").addFunctionTool(clickTool())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.AUTO).build();

        ChatCompletionMessage message = client.chat().completions().create(params).choices().getFirst().message();
        ChatCompletionMessageFunctionToolCall toolCall = message.toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(toolCall.function().name()).isEqualTo("click");
        assertThat(toolCall.function().arguments()).isEqualTo("{\"x\":0.5,\"y\":0.25}");
        assertThat(upstream.last().body().path("tools").get(0).path("function").path("name").asText()).isEqualTo("click");
        assertThat(upstream.last().body().path("tool_choice").asText()).isEqualTo("auto");

        client.chat().completions().create(params.toBuilder().addMessage(message)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_1").content("clicked").build())
                .build());
        var messages = upstream.last().body().path("messages");
        assertThat(messages.get(1).path("tool_calls").get(0).path("id").asText()).isEqualTo("call_1");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(2).path("tool_call_id").asText()).isEqualTo("call_1");
    }

    @Test
    void should_stream_tool_call_deltas() {
        upstream.next((r, reply) -> {
            reply.sseHeaders();
            reply.event(FakeUpstream.chunk("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_9\","
                    + "\"type\":\"function\",\"function\":{\"name\":\"click\",\"arguments\":\"\"}}]}", null));
            reply.event(FakeUpstream.chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"x\\\":\"}}]}", null));
            reply.event(FakeUpstream.chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"0.1}\"}}]}", null));
            reply.event(FakeUpstream.chunk("{}", "tool_calls"));
            reply.event("[DONE]");
        });
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("vision-1")
                .addUserMessage("press").addFunctionTool(clickTool()).build();
        Map<Long, StringBuilder> args = new TreeMap<>();
        Map<Long, String> names = new TreeMap<>();
        List<String> finish = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> {
                c.finishReason().ifPresent(f -> finish.add(f.toString()));
                c.delta().toolCalls().orElse(List.of()).forEach(t -> {
                    t.function().flatMap(f -> f.name()).ifPresent(n -> names.put(t.index(), n));
                    t.function().flatMap(f -> f.arguments())
                            .ifPresent(a -> args.computeIfAbsent(t.index(), i -> new StringBuilder()).append(a));
                });
            }));
        }

        assertThat(names).containsExactly(Map.entry(0L, "click"));
        assertThat(args.get(0L).toString()).isEqualTo("{\"x\":0.1}");
        assertThat(finish).containsExactly("tool_calls");
    }

    @Test
    void should_say_which_models_exist_when_the_model_is_unknown() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-9").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.code()).hasValue("model_not_found");
                    assertThat(e.param()).hasValue("model");
                    assertThat(e.getMessage()).contains("gpt-9").contains("vision-1").contains("default");
                });
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void should_pass_an_upstream_400_back_as_a_400() {
        upstream.next((r, reply) -> reply.error(400, "context length exceeded"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("vision-1").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.getMessage()).contains("context length exceeded"));
    }

    @Test
    void should_list_and_retrieve_models_in_openai_shape() {
        assertThat(client.models().list().data()).extracting(m -> m.id()).containsExactly("vision-1", "org/model");
        assertThat(client.models().retrieve("org/model").id()).isEqualTo("org/model");
        assertThat(client.models().retrieve("vision-1").ownedBy()).isEqualTo("pixelsense");
        assertThatThrownBy(() -> client.models().retrieve("nope")).isInstanceOf(NotFoundException.class);
    }

    private static FunctionDefinition clickTool() {
        return FunctionDefinition.builder().name("click").description("Click at normalized coordinates")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                "x", Map.of("type", "number"), "y", Map.of("type", "number"))))
                        .build())
                .build();
    }
}
