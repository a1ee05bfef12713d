package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.error.BadRequestException;

/**
 * What {@link JobQueue#submit} takes: a job type (a registered {@link JobHandler}), its input, and
 * optionally a model (the job then runs only on a worker that serves it), a priority ({@code 0} is
 * the default; higher runs first: the in-process engine orders by the number, Redis by its sign, see
 * {@link #band}), an idempotency key (a second submit with the same key returns the first job) and a
 * webhook URL (POSTed the job when it ends; see {@link Webhooks}).
 */
public record JobRequest(String type, JsonNode input, String model, int priority, String idempotencyKey,
                         String webhook) {
    public static final int MAX_KEY_LENGTH = 256;
    public static final int MAX_URL_LENGTH = 2048;
    /** The values of the named priorities, {@code high}, {@code normal} and {@code low}. */
    public static final int HIGH = 10;
    public static final int LOW = -10;

    public JobRequest {
        if (type == null || type.isBlank()) {
            throw new BadRequestException("'type' is required (e.g. \"chat\")", "type");
        }
        if (!type.matches("[a-z0-9_]{1,64}")) {
            throw new BadRequestException("'type' must be lowercase letters, digits or '_' (got '" + type + "')", "type");
        }
        if (input == null || input.isNull()) {
            throw new BadRequestException("'input' is required: the job's JSON input", "input");
        }
        if (model != null && !model.matches("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}")) {
            throw new BadRequestException("'model' is not a model id (letters, digits and . _ : / @ -)", "model");
        }
        if (priority < -100 || priority > 100) {
            throw new BadRequestException("'priority' must be between -100 and 100 (got " + priority + ")", "priority");
        }
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_KEY_LENGTH)) {
            throw new BadRequestException("'idempotency_key' must be 1 to " + MAX_KEY_LENGTH + " characters",
                    "idempotency_key");
        }
        if (webhook != null && (webhook.length() > MAX_URL_LENGTH
                || !(webhook.startsWith("http://") || webhook.startsWith("https://")))) {
            throw new BadRequestException("'webhook' must be an http(s) URL of at most " + MAX_URL_LENGTH
                    + " characters", "webhook");
        }
    }

    public static JobRequest of(String type, JsonNode input) {
        return new JobRequest(type, input, null, 0, null, null);
    }

    public JobRequest withIdempotencyKey(String key) {
        return new JobRequest(type, input, model, priority, key, webhook);
    }

    public JobRequest withPriority(int value) {
        return new JobRequest(type, input, model, value, idempotencyKey, webhook);
    }

    public JobRequest withModel(String value) {
        return new JobRequest(type, input, value, priority, idempotencyKey, webhook);
    }

    public JobRequest withWebhook(String url) {
        return new JobRequest(type, input, model, priority, idempotencyKey, url);
    }

    /** A priority by name ({@code high}, {@code normal}, {@code low}), as the API accepts it. */
    public static int priority(String name) {
        return switch (name) {
            case "high" -> HIGH;
            case "normal" -> 0;
            case "low" -> LOW;
            default -> throw new BadRequestException("'priority' must be high, normal, low or an integer -100..100 "
                    + "(got '" + name + "')", "priority");
        };
    }

    /**
     * The Redis priority band: 0 (high: priority above 0), 1 (normal: 0), 2 (low: below 0). Each band
     * is its own stream, read in that order; within a band jobs run in submission order.
     */
    static int band(int priority) {
        return priority > 0 ? 0 : priority == 0 ? 1 : 2;
    }
}
