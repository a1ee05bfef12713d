package dev.pixelsense.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkJsonTest {

    private static ChunkJson scan(String json) throws IOException {
        return ChunkJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ChunkJson c) {
        return new String(c.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aContentChunkIsForwardedAsItCame() throws IOException {
        String json = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"tiny\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}";
        ChunkJson c = scan(json);

        assertThat(c.finished()).isFalse();
        assertThat(c.usageOnly()).isFalse();
        assertThat(c.usage()).isNull();
        assertThat(c.errorMessage()).isNull();
        assertThat(c.withModel("tiny")).isSameAs(c);
        assertThat(c.withoutUsage()).isSameAs(c);
        assertThat(c.chunk().text()).isEqualTo("Hi");
    }

    @Test
    void aFinishReasonIsNoticedInAnyChoiceButNotInsideText() throws IOException {
        assertThat(scan("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}").finished()).isTrue();
        assertThat(scan("{\"choices\":[{\"index\":0,\"finish_reason\":null},{\"index\":1,\"finish_reason\":\"length\"}]}")
                .finished()).isTrue();
        // the words of a finish reason inside the generated text are text, escaped quotes and all
        assertThat(scan("{\"choices\":[{\"delta\":{\"content\":\"{\\\"finish_reason\\\":\\\"stop\\\"} }]\"},"
                + "\"finish_reason\":null}]}").finished()).isFalse();
        // and nested objects of a delta do not count
        assertThat(scan("{\"choices\":[{\"delta\":{\"finish_reason\":\"stop\"}}]}").finished()).isFalse();
    }

    @Test
    void theModelIsRenamedReplacedOrAdded() throws IOException {
        ChunkJson c = scan("{\"id\":\"x\",\"model\":\"runner-file.gguf\",\"choices\":[]}");
        assertThat(text(c.withModel("tiny"))).isEqualTo("{\"id\":\"x\",\"model\":\"tiny\",\"choices\":[]}");
        assertThat(text(scan("{\"model\":null,\"choices\":[]}").withModel("tiny")))
                .isEqualTo("{\"model\":\"tiny\",\"choices\":[]}");
        assertThat(text(scan("{ \"id\":\"x\"}").withModel("tiny"))).isEqualTo("{ \"model\":\"tiny\",\"id\":\"x\"}");
        assertThat(text(scan("{}").withModel("tiny"))).isEqualTo("{\"model\":\"tiny\"}");
        // names that need escaping are written as JSON strings
        assertThat(scan("{\"model\":\"a\"}").withModel("qu\"ote/é").chunk().model()).isEqualTo("qu\"ote/é");
    }

    @Test
    void usageIsReadAndCanBeDropped() throws IOException {
        ChunkJson last = scan("{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,"
                + "\"total_tokens\":12}}");
        assertThat(last.usageOnly()).isTrue();
        assertThat(last.usage()).isEqualTo(new Usage(5, 7, 12));
        assertThat(text(last.withoutUsage())).isEqualTo("{\"id\":\"x\",\"choices\":[]}");

        ChunkJson middle = scan("{\"usage\" : {\"prompt_tokens\":1} , \"choices\":[{\"delta\":{\"content\":\"a\"}}]}");
        assertThat(middle.usageOnly()).isFalse();
        assertThat(text(middle.withoutUsage())).isEqualTo("{ \"choices\":[{\"delta\":{\"content\":\"a\"}}]}");
        assertThat(text(scan("{\"usage\":null}").withoutUsage())).isEqualTo("{}");
        assertThat(scan("{\"usage\":null,\"choices\":[]}").usage()).isNull();
    }

    @Test
    void anErrorEventGivesItsMessage() throws IOException {
        assertThat(scan("{\"error\":{\"message\":\"out of memory\",\"type\":\"server_error\"}}").errorMessage())
                .isEqualTo("out of memory");
        assertThat(scan("{\"error\":\"just text\"}").errorMessage()).isEqualTo("\"just text\"");
        assertThat(scan("{\"error\":null,\"choices\":[]}").errorMessage()).isNull();
    }

    @Test
    void textThatIsNotOneJsonObjectIsRefusedWithWhere() {
        for (String bad : List.of("", "[1]", "{\"a\":1", "{\"a\":\"open}", "{\"a\":1} x", "{a:1}", "{\"a\" 1}",
                "{\"a\":}", "{\"a\":[1,2}", "{\"a\":\"tab\there\"}", "{\"choices\":[{\"finish_reason\"}]}",
                "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}")) {
            assertThatThrownBy(() -> scan(bad)).as(bad).isInstanceOf(IOException.class)
                    .hasMessageContaining("a streamed chunk is not a JSON object").hasMessageContaining("at byte");
        }
    }

    @Test
    void editsOfTheTextAgreeWithEditsOfTheObject() throws IOException {
        Random random = new Random(7);
        String[] pieces = {"a", "{", "}", "[", "]", "\"", "\\", ",", ":", "é", "\n", " ", "😀", "\u0001"};
        for (int round = 0; round < 500; round++) {
            StringBuilder content = new StringBuilder();
            for (int k = random.nextInt(12); k > 0; k--) {
                content.append(pieces[random.nextInt(pieces.length)]);
            }
            Usage usage = random.nextBoolean() ? Usage.of(random.nextInt(100), random.nextInt(100)) : null;
            List<ChatChunk.Choice> choices = random.nextInt(4) == 0 ? List.of() : List.of(new ChatChunk.Choice(0,
                    new ChatChunk.Delta(null, content.toString(), null, null), random.nextBoolean() ? "stop" : null));
            ChatChunk chunk = new ChatChunk("id-" + round, "chat.completion.chunk", round,
                    random.nextBoolean() ? "upstream" : null, choices, usage, null);
            // the text as an upstream writes it, read back without the object it came from
            ChunkJson scanned = ChunkJson.parse(OpenAiJson.write(chunk));

            assertThat(scanned.finished()).isEqualTo(choices.stream().anyMatch(c -> c.finishReason() != null));
            assertThat(scanned.usageOnly()).isEqualTo(chunk.usageOnly());
            assertThat(scanned.usage()).isEqualTo(usage);
            ChatChunk edited = OpenAiJson.MAPPER.readValue(scanned.withoutUsage().withModel("served").bytes(),
                    ChatChunk.class);
            assertThat(edited).isEqualTo(chunk.withoutUsage().withModel("served"));
        }
    }
}
