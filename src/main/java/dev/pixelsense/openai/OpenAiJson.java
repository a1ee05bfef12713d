package dev.pixelsense.openai;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pixelsense.error.BadRequestException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The JSON mapper for the OpenAI wire format and the translation of Jackson's complaints into
 * 400s that name the field ({@code messages[0].content}) the way OpenAI does.
 */
public final class OpenAiJson {
    /** Shared and thread-safe once configured. Strings may be as long as a request body may be. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE)
                .maxNestingDepth(200)
                .build());
    }

    private OpenAiJson() {
    }

    /** Reads a value, turning malformed JSON and wrong types into a 400 naming the field. */
    public static <T> T read(InputStream in, Class<T> type) {
        try {
            return MAPPER.readValue(in, type);
        } catch (IOException e) {
            throw badRequest(e);
        }
    }

    public static <T> T read(byte[] body, Class<T> type) {
        try {
            return MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw badRequest(e);
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    public static BadRequestException badRequest(IOException e) {
        if (e instanceof StreamReadException || e.getCause() instanceof StreamReadException) {
            StreamReadException syntax = (StreamReadException) (e instanceof StreamReadException ? e : e.getCause());
            var at = syntax.getLocation();
            return new BadRequestException("The request body is not valid JSON: " + firstLine(syntax.getOriginalMessage())
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = path(mapping);
            String why = switch (mapping) {
                case InvalidTypeIdException invalid -> "unknown or missing type '" + invalid.getTypeId() + "'";
                case MismatchedInputException mismatch -> mismatch.getTargetType() == null
                        ? mismatch.getOriginalMessage()
                        : "expected " + describe(mismatch.getTargetType());
                default -> mapping.getOriginalMessage();
            };
            if (e instanceof InvalidTypeIdException) {
                field = field + ".type";
            }
            return new BadRequestException("Invalid value for '" + field + "': " + why, field);
        }
        String what = e instanceof JsonProcessingException jp ? jp.getOriginalMessage() : e.getMessage();
        return new BadRequestException("The request body is not valid JSON: " + firstLine(what));
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == MessageContent.class) {
            return "a string or an array of content parts";
        }
        return "an object";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
