package dev.pixelsense.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** A tool the model may call; only {@code function} tools exist in Chat Completions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tool(String type, FunctionDef function) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionDef(String name, String description, JsonNode parameters, Boolean strict) {
    }

    public static Tool function(String name, String description, JsonNode parameters) {
        return new Tool("function", new FunctionDef(name, description, parameters, null));
    }

    void validate(String at) {
        Check.require("function".equals(type), at + ".type must be \"function\"", at + ".type");
        Check.require(function != null, at + ".function is required", at + ".function");
        Check.require(function.name() != null && function.name().matches("[A-Za-z0-9_-]{1,64}"),
                at + ".function.name must be 1-64 letters, digits, '_' or '-'", at + ".function.name");
        Check.require(function.parameters() == null || function.parameters().isObject(),
                at + ".function.parameters must be a JSON Schema object", at + ".function.parameters");
    }
}
