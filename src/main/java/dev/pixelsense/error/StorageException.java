package dev.pixelsense.error;

/** Local storage failed: the disk is full, a file cannot be written or moved (507). */
public class StorageException extends PixelsenseException {
    public StorageException(String message, Throwable cause) {
        super(message, null, "storage_error", cause);
    }

    @Override
    public int status() {
        return 507;
    }

    @Override
    public String type() {
        return "storage_error";
    }
}
