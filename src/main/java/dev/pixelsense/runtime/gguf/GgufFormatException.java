package dev.pixelsense.runtime.gguf;

import dev.pixelsense.error.BadRequestException;

/**
 * The file is not a GGUF model pixelsense can read: wrong magic, unsupported version, cut short or
 * inconsistent. Sending the same file again fails the same way; the message says what to do
 * (pull it again, convert it, pick another file).
 */
public class GgufFormatException extends BadRequestException {
    public GgufFormatException(String message) {
        super(message, "model", "invalid_model_file");
    }
}
