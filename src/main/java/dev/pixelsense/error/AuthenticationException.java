package dev.pixelsense.error;

/** No API key, or one that is not configured (401). */
public class AuthenticationException extends PixelsenseException {
    public AuthenticationException(String message) {
        super(message, null, "invalid_api_key", null);
    }

    @Override
    public int status() {
        return 401;
    }

    @Override
    public String type() {
        return "authentication_error";
    }
}
