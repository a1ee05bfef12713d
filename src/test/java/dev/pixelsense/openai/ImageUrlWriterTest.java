package dev.pixelsense.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Image URLs survive serialization byte for byte, whether copied raw or escaped. */
class ImageUrlWriterTest {

    private static String roundTrip(String url) throws Exception {
        ChatRequest r = ChatRequest.of("m", List.of(ChatMessage.user(List.of(ContentPart.text("hi"), ContentPart.image(url)))));
        JsonNode node = OpenAiJson.MAPPER.readTree(OpenAiJson.write(r));
        JsonNode image = node.path("messages").get(0).path("content").get(1);
        assertThat(image.path("type").asText()).isEqualTo("image_url");
        return image.path("image_url").path("url").asText();
    }

    @Test
    void should_copy_a_long_base64_data_url_unchanged() throws Exception {
        String url = "data:image/png;base64," + "iVBORw0KGgo+/=".repeat(2000);
        assertThat(roundTrip(url)).isEqualTo(url);
    }

    @Test
    void should_escape_urls_that_need_it() throws Exception {
        String tricky = "https://example.com/a\"b\\c?x=" + "é".repeat(600) + "\n";
        assertThat(roundTrip(tricky)).isEqualTo(tricky);
        assertThat(ImageUrlWriter.needsNoEscaping("data:image/png;base64,AAAA+/==")).isTrue();
        assertThat(ImageUrlWriter.needsNoEscaping("a\"b")).isFalse();
        assertThat(ImageUrlWriter.needsNoEscaping("é")).isFalse();
    }

    @Test
    void should_keep_the_detail() throws Exception {
        ChatRequest r = ChatRequest.of("m", List.of(ChatMessage.user(List.of(new ContentPart.ImagePart(
                new ContentPart.ImageUrl("data:image/png;base64," + "A".repeat(5000), "high"))))));
        JsonNode node = OpenAiJson.MAPPER.readTree(OpenAiJson.write(r));
        assertThat(node.path("messages").get(0).path("content").get(0).path("image_url").path("detail").asText())
                .isEqualTo("high");
    }
}
