package dev.pixelsense.error;

/** The model's backend failed: connection refused, a 5xx, a broken stream (502). */
public class UpstreamException extends RetriableException {
    public UpstreamException(String message) {
        this(message, null);
    }

    public UpstreamException(String message, Throwable cause) {
        super(message, "upstream_error", cause);
    }

    @Override
    public int status() {
        return 502;
    }

    @Override
    public String type() {
        return "upstream_error";
    }
}
