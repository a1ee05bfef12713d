package dev.pixelsense.error;

/** The caller is known but not allowed: a foreign Origin or Host, a disabled feature (403). */
public class PermissionException extends PixelsenseException {
    public PermissionException(String message, String code) {
        super(message, null, code, null);
    }

    @Override
    public int status() {
        return 403;
    }

    @Override
    public String type() {
        return "permission_error";
    }
}
