package dev.pixelsense.error;

/** The backend did not connect, start answering or keep answering in time (504). */
public class UpstreamTimeoutException extends RetriableException {
    public UpstreamTimeoutException(String message) {
        super(message, "upstream_timeout", null);
    }

    @Override
    public int status() {
        return 504;
    }

    @Override
    public String type() {
        return "timeout_error";
    }
}
