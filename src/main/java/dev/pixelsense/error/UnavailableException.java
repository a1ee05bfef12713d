package dev.pixelsense.error;

/** Nothing can serve the request right now: every deployment cooling down, a model failing to load (503). */
public class UnavailableException extends RetriableException {
    public UnavailableException(String message) {
        this(message, null);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, "unavailable", cause);
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String type() {
        return "unavailable_error";
    }
}
