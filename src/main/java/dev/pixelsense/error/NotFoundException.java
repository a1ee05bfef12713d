package dev.pixelsense.error;

/** The named thing (a model, a route) does not exist (404). */
public class NotFoundException extends BadRequestException {
    public NotFoundException(String message, String param, String code) {
        super(message, param, code);
    }

    @Override
    public int status() {
        return 404;
    }
}
