package dev.pixelsense.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code stream_options}; {@code include_usage} adds a last chunk carrying the usage. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
}
