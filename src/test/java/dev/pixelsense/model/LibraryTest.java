package dev.pixelsense.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.openai.ChatChunk;
import dev.pixelsense.openai.ChatMessage;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.testing.FakeUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's library example, for real: load a config file, chat, stream, unload. */
class LibraryTest {

    @Test
    void should_chat_stream_and_unload_through_the_java_api(@TempDir Path dir) throws Exception {
        try (FakeUpstream upstream = new FakeUpstream().always((r, reply) -> {
            if (r.body().path("stream").asBoolean()) {
                reply.stream(List.of("1", " 2", " 3"), 0);
            } else {
                reply.text("Hello!", 3, 1);
            }
        })) {
            Path config = Files.writeString(dir.resolve("config.yaml"), """
                    models:
                      - id: qwen-vl
                        backend: openai
                        base_url: %s
                    """.formatted(upstream.baseUrl()));

            try (Pixelsense px = Pixelsense.open(config)) {
                assertThat(px.chat("qwen-vl", "Say hello").text()).isEqualTo("Hello!");

                StringBuilder text = new StringBuilder();
                try (ChatStream s = px.stream(ChatRequest.of("qwen-vl", List.of(ChatMessage.user("Count to 3"))))) {
                    for (ChatChunk c = s.next(); c != null; c = s.next()) {
                        text.append(c.text() == null ? "" : c.text());
                    }
                }
                assertThat(text.toString()).isEqualTo("1 2 3");
                assertThat(px.models().getFirst().loaded()).isTrue();

                px.unload("qwen-vl");

                assertThat(px.models().getFirst().loaded()).isFalse();
                assertThat(px.chat("qwen-vl", "again").text()).isEqualTo("Hello!");
            }
        }
    }
}
