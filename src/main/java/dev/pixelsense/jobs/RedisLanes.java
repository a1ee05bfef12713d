package dev.pixelsense.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a job waits in Redis: one stream per priority band and model, {@code PREFIX q:BAND:MODEL}
 * ({@code *} for jobs that name no model). A worker reads the streams of the models it serves, high
 * band first, so a job naming a model is only ever delivered to a worker that announced it, and a job
 * for a model nobody serves simply stays in its stream. Every stream has the one consumer group
 * {@value #GROUP}; a worker creates the groups of its streams when it announces, from the start of
 * the stream, so jobs queued before any worker came are delivered too.
 *
 * <p>Announcements: each worker's models go to the hash {@code PREFIX models} (model -> last time a
 * worker announced it, in ms), renewed every heartbeat; a model not announced for a lease has no live
 * worker.
 */
final class RedisLanes {
    static final String GROUP = "workers";
    static final String ANY = "*";
    static final int BANDS = 3;

    private final RedisConnections redis;
    private final String prefix;
    private final long leaseMillis;
    /** consumer -> its streams in read order. */
    private final Map<String, List<String>> streams = new ConcurrentHashMap<>();

    RedisLanes(RedisConnections redis, String prefix, long leaseMillis) {
        this.redis = redis;
        this.prefix = prefix;
        this.leaseMillis = leaseMillis;
    }

    String stream(int priority, String model) {
        return prefix + "q:" + JobRequest.band(priority) + ":" + (model == null ? ANY : model);
    }

    /** Every stream a consumer reads, high band first; a consumer that never announced reads the no-model lane. */
    List<String> streamsOf(String consumer) {
        return streams.computeIfAbsent(consumer, c -> {
            List<String> own = order(Set.of());
            ensureGroups(own);
            return own;
        });
    }

    private List<String> order(Set<String> models) {
        List<String> out = new ArrayList<>();
        for (int band = 0; band < BANDS; band++) {
            out.add(prefix + "q:" + band + ":" + ANY);
            for (String m : new TreeSet<>(models)) {
                out.add(prefix + "q:" + band + ":" + m);
            }
        }
        return List.copyOf(out);
    }

    /** Records the consumer's models (first call: creates its streams' groups) and marks them live. */
    void announce(String consumer, Set<String> models) {
        List<String> own = order(models);
        if (!own.equals(streams.get(consumer))) {
            ensureGroups(own);
            streams.put(consumer, own);
        }
        if (!models.isEmpty()) {
            long now = System.currentTimeMillis();
            List<Object> command = new ArrayList<>(List.of("HSET", prefix + "models"));
            for (String m : models) {
                command.add(m);
                command.add(now);
            }
            redis.callRetrying(command.toArray());
        }
    }

    void retire(String consumer) {
        streams.remove(consumer);
    }

    /** Creates the consumer group of each stream (and the stream) unless it exists. */
    void ensureGroups(List<String> keys) {
        List<Object[]> commands = keys.stream().map(k -> new Object[] {"XGROUP", "CREATE", k, GROUP, "0", "MKSTREAM"})
                .toList();
        for (Object reply : redis.pipeline(commands)) {
            if (reply instanceof RespConnection.RedisError e && !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Groups lost (Redis restarted without its data): create them again for every known consumer. */
    void recreateGroups() {
        streams.values().forEach(this::ensureGroups);
    }

    /** Whether some worker announced {@code model} within the last lease. */
    boolean served(String model) {
        Object seen = redis.callRetrying("HGET", prefix + "models", model);
        return seen != null && System.currentTimeMillis() - Long.parseLong((String) seen) < leaseMillis;
    }
}
