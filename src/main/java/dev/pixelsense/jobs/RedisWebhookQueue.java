package dev.pixelsense.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Due webhook deliveries on Redis: the sorted set {@code PREFIX webhooks} (job id scored by when its
 * next POST is due; the transition scripts add a job when it ends), and the delivery state kept in
 * the job's hash ({@code webhook_status}, {@code webhook_attempts}, {@code webhook_error},
 * {@code webhook_at}).
 */
final class RedisWebhookQueue {
    private final RedisConnections redis;
    private final String prefix;

    RedisWebhookQueue(RedisConnections redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /** A due job id, its due time pushed {@code claim} ahead; null when none is due. */
    String claim(Duration claim) {
        return (String) redis.eval(RedisScripts.CLAIM_WEBHOOK, List.of(prefix + "webhooks"),
                System.currentTimeMillis(), claim.toMillis());
    }

    void attempted(String id, Job.Webhook status, Duration retryIn) {
        String key = prefix + "job:" + id;
        List<Object> set = new ArrayList<>(List.of("HSET", key, "webhook_status", status.status(),
                "webhook_attempts", status.attempts()));
        List<Object> unset = new ArrayList<>(List.of("HDEL", key));
        (status.error() == null ? unset : set).addAll(status.error() == null ? List.of("webhook_error")
                : List.of("webhook_error", status.error()));
        (status.deliveredAt() == null ? unset : set).addAll(status.deliveredAt() == null ? List.of("webhook_at")
                : List.of("webhook_at", status.deliveredAt().toEpochMilli()));
        redis.pipeline(List.of(set.toArray(), unset.toArray(), retryIn == null
                ? new Object[] {"ZREM", prefix + "webhooks", id}
                : new Object[] {"ZADD", prefix + "webhooks", System.currentTimeMillis() + retryIn.toMillis(), id}));
    }
}
