package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.error.BadRequestException;

/**
 * What {@link JobQueue#submit} takes: a job type (a registered {@link JobHandler}), its input, and
 * optionally a model, a priority ({@code 0} is the default; higher runs first where the engine
 * supports it) and an idempotency key (a second submit with the same key returns the first job).
 */
public record JobRequest(String type, JsonNode input, String model, int priority, String idempotencyKey) {
    public static final int MAX_KEY_LENGTH = 256;

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
        if (priority < -100 || priority > 100) {
            throw new BadRequestException("'priority' must be between -100 and 100 (got " + priority + ")", "priority");
        }
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_KEY_LENGTH)) {
            throw new BadRequestException("'idempotency_key' must be 1 to " + MAX_KEY_LENGTH + " characters",
                    "idempotency_key");
        }
    }

    public static JobRequest of(String type, JsonNode input) {
        return new JobRequest(type, input, null, 0, null);
    }

    public JobRequest withIdempotencyKey(String key) {
        return new JobRequest(type, input, model, priority, key);
    }

    public JobRequest withPriority(int value) {
        return new JobRequest(type, input, model, value, idempotencyKey);
    }
}
