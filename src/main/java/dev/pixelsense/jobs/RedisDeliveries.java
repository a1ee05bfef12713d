package dev.pixelsense.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The taking side of the Redis engine. A take is one script (TAKE: reclaim a dead worker's entry,
 * else read the streams in order, and start the jobs, all in one round trip, for as many jobs as the
 * consumer has threads waiting); only when every stream is empty does one taker block in XREADGROUP
 * on all of them (at most half a lease, so reclaims and due retries are looked at that often) and
 * start what arrives with a second script.
 * Reclaims and due retries are looked at once per {@value #RECLAIM_EVERY_MS} ms per process, not on
 * every take: with thousands of takes a second the XAUTOCLAIM scans would cost more than the jobs.
 */
final class RedisDeliveries {
    static final long RECLAIM_EVERY_MS = 100;
    /** The most jobs one take script starts at once. */
    static final int MAX_BATCH = 32;

    private final RedisConnections redis;
    private final RedisLanes lanes;
    private final JobSettings settings;
    private final String prefix;
    private volatile long lastReclaim;

    RedisDeliveries(RedisConnections redis, RedisLanes lanes, JobSettings settings) {
        this.redis = redis;
        this.lanes = lanes;
        this.settings = settings;
        this.prefix = settings.prefix();
    }

    /**
     * The takers of one consumer (one worker's threads): at most one of them talks to Redis at a
     * time, asking for as many jobs as there are threads waiting; the others take the extras from
     * {@code ready}. So a busy worker with N idle threads fetches N jobs in one script call, and every
     * job fetched has a thread waiting for it (a started job never sits unrenewed in a buffer).
     */
    private static final class Takers {
        final ReentrantLock fetch = new ReentrantLock();
        final ConcurrentLinkedQueue<Broker.Delivery> ready = new ConcurrentLinkedQueue<>();
        final AtomicInteger waiting = new AtomicInteger();
    }

    private final Map<String, Takers> takers = new ConcurrentHashMap<>();

    Broker.Delivery take(String consumer, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Takers t = takers.computeIfAbsent(consumer, c -> new Takers());
        t.waiting.incrementAndGet();
        try {
            while (true) {
                Broker.Delivery d = t.ready.poll();
                if (d != null) {
                    return d;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !t.fetch.tryLock(left, TimeUnit.NANOSECONDS)) {
                    return t.ready.poll();
                }
                try {
                    d = t.ready.poll();
                    if (d == null) {
                        d = fetch(consumer, t, deadline);
                    }
                    if (d != null) {
                        return d;
                    }
                } finally {
                    t.fetch.unlock();
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            t.waiting.decrementAndGet();
        }
    }

    /** One TAKE for as many jobs as threads wait (extras to {@code ready}); if none, one blocking read. */
    private Broker.Delivery fetch(String consumer, Takers t, long deadline) {
        List<String> streams = lanes.streamsOf(consumer);
        long now = System.currentTimeMillis();
        boolean reclaim = now - lastReclaim >= RECLAIM_EVERY_MS;
        if (reclaim) {
            lastReclaim = now;
        }
        List<?> taken;
        try {
            taken = (List<?>) redis.eval(RedisScripts.TAKE, streams, prefix, RedisLanes.GROUP, consumer, now,
                    settings.lease().toMillis(), reclaim ? "1" : "0", Math.max(1, Math.min(MAX_BATCH,
                            t.waiting.get())));
        } catch (RespConnection.RedisError e) {
            if (!e.getMessage().contains("NOGROUP")) {
                throw e;
            }
            lanes.recreateGroups();   // Redis lost its data (restarted without persistence)
            return null;
        }
        Broker.Delivery first = null;
        for (Object o : taken) {
            List<?> r = (List<?>) o;
            String id = (String) r.get(2);
            Broker.Delivery d = new Broker.Delivery(id, (String) r.get(1), (String) r.get(0),
                    RedisJobCodec.job(id, (List<?>) r.get(3)));
            if (first == null) {
                first = d;
            } else {
                t.ready.add(d);
            }
        }
        if (first != null) {
            return first;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            return null;
        }
        return blockingRead(consumer, streams, Math.max(1, Math.min(left, Math.min(settings.lease().toMillis() / 2,
                1000))));
    }

    /** XREADGROUP BLOCK on every stream; the first entry that arrives (others stay pending: reclaimed later). */
    @SuppressWarnings("unchecked")
    private Broker.Delivery blockingRead(String consumer, List<String> streams, long block) {
        List<Object> command = new ArrayList<>(List.of("XREADGROUP", "GROUP", RedisLanes.GROUP, consumer, "COUNT", 1,
                "BLOCK", block, "STREAMS"));
        command.addAll(streams);
        streams.forEach(s -> command.add(">"));
        List<Object> read;
        try {
            read = (List<Object>) redis.with(c -> c.call(command.toArray()));
        } catch (RespConnection.RedisError e) {
            if (!e.getMessage().startsWith("NOGROUP")) {
                throw e;
            }
            lanes.recreateGroups();
            return null;
        }
        if (read == null) {
            return null;
        }
        Broker.Delivery first = null;
        for (Object perStream : read) {
            List<Object> s = (List<Object>) perStream;
            for (Object e : (List<Object>) s.get(1)) {
                List<Object> entry = (List<Object>) e;
                List<Object> fields = (List<Object>) entry.get(1);
                Broker.Delivery d = new Broker.Delivery((String) fields.get(1), (String) entry.get(0),
                        (String) s.get(0), null);
                if (first == null) {
                    first = d;
                }
                // more than one stream answered at once: the rest stay pending to this consumer and
                // come back through XAUTOCLAIM after a lease (rare: only when streams fill in the same instant)
            }
        }
        return first;
    }

    Job start(Broker.Delivery d, String consumer) {
        if (d.started() != null) {
            return d.started();
        }
        Object hash = redis.eval(RedisScripts.START, List.of(prefix + "job:" + d.id(), d.lane()), prefix, d.id(),
                consumer, System.currentTimeMillis(), RedisLanes.GROUP, d.handle());
        return hash instanceof List<?> flat ? RedisJobCodec.job(d.id(), flat) : null;
    }

    boolean renew(Broker.Delivery d, String consumer) {
        return (Long) redis.eval(RedisScripts.RENEW, List.of(d.lane()), RedisLanes.GROUP, consumer, d.handle()) == 1;
    }

    void ack(Broker.Delivery d) {
        redis.pipeline(List.of(new Object[] {"XACK", d.lane(), RedisLanes.GROUP, d.handle()},
                new Object[] {"XDEL", d.lane(), d.handle()}));
    }
}
