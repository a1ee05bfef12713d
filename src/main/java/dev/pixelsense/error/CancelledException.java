package dev.pixelsense.error;

/** The client went away; nobody reads this answer (499, never written to a live client). */
public class CancelledException extends PixelsenseException {
    public CancelledException(String message) {
        super(message, null, "cancelled", null);
    }

    @Override
    public int status() {
        return 499;
    }

    @Override
    public String type() {
        return "cancelled";
    }
}
