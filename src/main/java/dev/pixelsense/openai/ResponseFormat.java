package dev.pixelsense.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** {@code response_format}: {@code text}, {@code json_object} or {@code json_schema}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResponseFormat(String type, @JsonProperty("json_schema") JsonNode jsonSchema) {

    void validate() {
        Check.require(type != null, "response_format.type is required", "response_format.type");
        switch (type) {
            case "text", "json_object" -> { }
            case "json_schema" -> {
                Check.require(jsonSchema != null && jsonSchema.isObject(),
                        "response_format.json_schema must be an object", "response_format.json_schema");
                Check.require(jsonSchema.path("name").isTextual(),
                        "response_format.json_schema.name is required", "response_format.json_schema.name");
                Check.require(!jsonSchema.has("schema") || jsonSchema.get("schema").isObject(),
                        "response_format.json_schema.schema must be an object", "response_format.json_schema.schema");
            }
            default -> throw new dev.pixelsense.error.BadRequestException(
                    "response_format.type must be text, json_object or json_schema, got '" + type + "'",
                    "response_format.type");
        }
    }
}
