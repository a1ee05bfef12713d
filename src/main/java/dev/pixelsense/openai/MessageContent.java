package dev.pixelsense.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/** Message content: a plain string, or an array of text and image parts. */
@JsonSerialize(using = MessageContent.Writer.class)
@JsonDeserialize(using = MessageContent.Reader.class)
public sealed interface MessageContent {

    /** All text of this content; image parts are left out. */
    String text();

    record Text(String text) implements MessageContent {
    }

    record Parts(List<ContentPart> parts) implements MessageContent {
        public Parts {
            // not List.copyOf: a null part must survive until validate() can name it
            parts = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(parts));
        }

        @Override
        public String text() {
            return parts.stream()
                    .filter(p -> p instanceof ContentPart.TextPart)
                    .map(p -> ((ContentPart.TextPart) p).text())
                    .collect(Collectors.joining("\n"));
        }
    }

    final class Reader extends JsonDeserializer<MessageContent> {
        @Override
        public MessageContent deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return new Text(p.getText());
            }
            if (p.currentToken() == JsonToken.START_ARRAY) {
                List<ContentPart> parts = ctx.readValue(p,
                        ctx.getTypeFactory().constructCollectionType(List.class, ContentPart.class));
                return new Parts(parts);
            }
            return (MessageContent) ctx.handleUnexpectedToken(MessageContent.class, p.currentToken(), p,
                    "content must be a string or an array of content parts");
        }
    }

    final class Writer extends JsonSerializer<MessageContent> {
        @Override
        public void serialize(MessageContent value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            switch (value) {
                case Text t -> gen.writeString(t.text());
                // typed as List<ContentPart>: serialized as a plain list, the parts would lose their
                // "type" property (erasure hides @JsonTypeInfo), and OpenAI refuses parts without it
                case Parts parts -> provider.findTypedValueSerializer(
                        provider.getTypeFactory().constructCollectionType(List.class, ContentPart.class), true, null)
                        .serialize(parts.parts(), gen, provider);
            }
        }
    }
}
