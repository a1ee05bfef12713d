package dev.pixelsense.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Message content on the wire, as the upstream receives it. */
class MessageContentTest {

    @Test
    void should_write_the_type_of_every_part_of_array_content() throws Exception {
        // given a message built in code (as the CLI and the library do)
        ChatMessage message = ChatMessage.user(List.of(ContentPart.text("What is this?"),
                ContentPart.image("data:image/png;base64,AAAA")));
        // when
        JsonNode json = OpenAiJson.MAPPER.readTree(OpenAiJson.MAPPER.writeValueAsString(message));
        // then
        JsonNode content = json.path("content");
        assertThat(content.get(0).path("type").asText()).isEqualTo("text");
        assertThat(content.get(0).path("text").asText()).isEqualTo("What is this?");
        assertThat(content.get(1).path("type").asText()).isEqualTo("image_url");
        assertThat(content.get(1).path("image_url").path("url").asText()).isEqualTo("data:image/png;base64,AAAA");
    }

    @Test
    void should_read_back_what_it_writes() throws Exception {
        ChatMessage message = ChatMessage.user(List.of(ContentPart.text("hi"), ContentPart.image("data:x")));
        String json = OpenAiJson.MAPPER.writeValueAsString(message);
        ChatMessage read = OpenAiJson.MAPPER.readValue(json, ChatMessage.class);
        assertThat(OpenAiJson.MAPPER.writeValueAsString(read)).isEqualTo(json);
        assertThat(read.content()).isInstanceOf(MessageContent.Parts.class);
    }

    @Test
    void should_write_text_content_as_a_plain_string() throws Exception {
        JsonNode json = OpenAiJson.MAPPER.readTree(OpenAiJson.MAPPER.writeValueAsString(ChatMessage.user("hello")));
        assertThat(json.path("content").isTextual()).isTrue();
        assertThat(json.path("content").asText()).isEqualTo("hello");
    }
}
