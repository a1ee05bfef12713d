package dev.pixelsense.error;

/**
 * The one unchecked exception root of pixelsense. Subclasses are split by what the caller can
 * do about the failure (fix the request, authenticate, retry later, try another model), and each
 * knows the HTTP status and OpenAI error {@code type}/{@code code} it maps to. The mapping to an
 * HTTP response happens in exactly one place: {@code dev.pixelsense.api.ErrorMapper}.
 */
public abstract class PixelsenseException extends RuntimeException {
    private final String param;
    private final String code;

    protected PixelsenseException(String message, String param, String code, Throwable cause) {
        super(message, cause);
        this.param = param;
        this.code = code;
    }

    /** HTTP status this failure is reported with. */
    public abstract int status();

    /** OpenAI error {@code type}, e.g. {@code invalid_request_error}. */
    public abstract String type();

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }

    /** A machine-readable code such as {@code model_not_found}, or null. */
    public String code() {
        return code;
    }
}
