package dev.pixelsense.error;

/** The request conflicts with the current state, e.g. a second agent run while one drives the screen (409). */
public class ConflictException extends PixelsenseException {
    public ConflictException(String message, String code) {
        super(message, null, code, null);
    }

    @Override
    public int status() {
        return 409;
    }

    @Override
    public String type() {
        return "invalid_request_error";
    }
}
