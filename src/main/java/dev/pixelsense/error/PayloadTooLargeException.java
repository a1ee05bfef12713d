package dev.pixelsense.error;

/** A body, image or decoded pixel count is over a configured limit (413). */
public class PayloadTooLargeException extends BadRequestException {
    public PayloadTooLargeException(String message, String param) {
        super(message, param, "payload_too_large");
    }

    @Override
    public int status() {
        return 413;
    }
}
