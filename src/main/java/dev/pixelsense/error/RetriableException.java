package dev.pixelsense.error;

/**
 * The same request may succeed later or on another model: the model manager falls back to the
 * next model of the chain on these, as long as nothing has reached the client yet.
 */
public abstract class RetriableException extends PixelsenseException {
    protected RetriableException(String message, String code, Throwable cause) {
        super(message, null, code, cause);
    }
}
