package dev.pixelsense.jobs;

import java.time.Duration;

/**
 * How jobs are run. Defaults: a lease of 30 s (a dead worker's job is reclaimed within that; the
 * heartbeat renews it every third of it), 3 attempts, backoff 1 s doubling up to 60 s, results
 * kept 24 h, Redis keys under {@code pixelsense:}.
 */
public record JobSettings(Duration lease, int maxAttempts, Duration backoff, Duration maxBackoff, Duration resultTtl,
                          String prefix) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    public JobSettings {
        if (lease.compareTo(Duration.ofMillis(300)) < 0) {
            throw new IllegalArgumentException("the job lease must be at least 300ms (got " + lease.toMillis()
                    + "ms): it is renewed every third of it, and shorter renewals would race with the network");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1 (got " + maxAttempts + ")");
        }
        if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("backoff must be >= 0 and max backoff >= backoff");
        }
        if (resultTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("the result TTL must be at least 1s");
        }
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("the key prefix must not be empty");
        }
    }

    public static JobSettings defaults() {
        return new JobSettings(DEFAULT_LEASE, 3, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofHours(24),
                "pixelsense:");
    }

    /** The settings of the {@code jobs:} config section, under the default key prefix. */
    public static JobSettings from(dev.pixelsense.config.JobsConfig config) {
        return new JobSettings(config.lease(), config.maxAttempts(), config.backoff(), config.maxBackoff(),
                config.resultTtl(), defaults().prefix());
    }

    public JobSettings withLease(Duration value) {
        return new JobSettings(value, maxAttempts, backoff, maxBackoff, resultTtl, prefix);
    }

    public JobSettings withRetries(int attempts, Duration firstBackoff) {
        return new JobSettings(lease, attempts, firstBackoff, maxBackoff.compareTo(firstBackoff) < 0 ? firstBackoff
                : maxBackoff, resultTtl, prefix);
    }

    public JobSettings withResultTtl(Duration value) {
        return new JobSettings(lease, maxAttempts, backoff, maxBackoff, value, prefix);
    }

    public JobSettings withPrefix(String value) {
        return new JobSettings(lease, maxAttempts, backoff, maxBackoff, resultTtl, value);
    }

    /** The wait before attempt {@code attempt + 1}: backoff * 2^(attempt-1), capped. */
    Duration backoffAfter(int attempt) {
        long millis = backoff.toMillis() << Math.min(20, Math.max(0, attempt - 1));
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
