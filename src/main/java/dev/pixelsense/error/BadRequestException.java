package dev.pixelsense.error;

/** The request is wrong; sending it again unchanged will fail again (400). */
public class BadRequestException extends PixelsenseException {
    public BadRequestException(String message) {
        this(message, null, null);
    }

    public BadRequestException(String message, String param) {
        this(message, param, null);
    }

    public BadRequestException(String message, String param, String code) {
        super(message, param, code, null);
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String type() {
        return "invalid_request_error";
    }
}
