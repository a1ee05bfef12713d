package dev.pixelsense.openai;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One part of array content: text or an image. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", include = JsonTypeInfo.As.PROPERTY)
@JsonSubTypes({
    @JsonSubTypes.Type(value = ContentPart.TextPart.class, name = "text"),
    @JsonSubTypes.Type(value = ContentPart.ImagePart.class, name = "image_url")
})
public sealed interface ContentPart {

    void validate(String at);

    static ContentPart text(String text) {
        return new TextPart(text);
    }

    static ContentPart image(String url) {
        return new ImagePart(new ImageUrl(url, null));
    }

    record TextPart(String text) implements ContentPart {
        @Override
        public void validate(String at) {
            Check.require(text != null, at + ".text is required", at + ".text");
        }
    }

    record ImagePart(@JsonProperty("image_url") ImageUrl imageUrl) implements ContentPart {
        @Override
        public void validate(String at) {
            Check.require(imageUrl != null && imageUrl.url() != null && !imageUrl.url().isEmpty(),
                    at + ".image_url.url is required", at + ".image_url.url");
            Check.require(imageUrl.detail() == null || imageUrl.detail().matches("auto|low|high"),
                    at + ".image_url.detail must be auto, low or high", at + ".image_url.detail");
        }

        @JsonIgnore
        public String url() {
            return imageUrl.url();
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = ImageUrlWriter.class)
    record ImageUrl(String url, String detail) {
    }
}
