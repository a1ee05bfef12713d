package dev.pixelsense.openai;

import dev.pixelsense.error.BadRequestException;

/** Small request-validation helpers that throw a 400 naming the field. */
final class Check {
    private Check() {
    }

    static void require(boolean condition, String message, String param) {
        if (!condition) {
            throw new BadRequestException(message, param);
        }
    }

    static void range(Double value, double min, double max, String param) {
        if (value != null && (value < min || value > max || value.isNaN())) {
            throw new BadRequestException(param + " must be between " + fmt(min) + " and " + fmt(max)
                    + ", got " + value, param);
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
