package dev.pixelsense.error;

/** A model's queue is full, or an upstream said 429 (429, with {@code Retry-After}). */
public class RateLimitedException extends RetriableException {
    private final long retryAfterSeconds;

    public RateLimitedException(String message, long retryAfterSeconds) {
        super(message, "rate_limit_exceeded", null);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public int status() {
        return 429;
    }

    @Override
    public String type() {
        return "rate_limit_error";
    }
}
