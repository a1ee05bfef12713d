package dev.pixelsense.jobs;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pub/sub connection and the daemon thread that reads it, calling {@code onMessage(channel,
 * payload)} in arrival order. The constructor returns once Redis confirmed the fixed channels;
 * {@link #add} subscribes to one more and returns once Redis confirmed it (at most 2 s), so nothing
 * published after it is missed; {@link #remove} unsubscribes. A broken connection is reopened after
 * a second with every channel subscribed again (messages published meanwhile are lost: pub/sub is
 * at-most-once, which is why job state lives in hashes). Thread-safe.
 */
final class RedisSubscriber implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisSubscriber.class);

    private final RedisConnections redis;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Void>> confirming = new ConcurrentHashMap<>();
    private final BiConsumer<String, String> onMessage;
    private final Thread thread;
    private volatile RespConnection connection;
    private volatile boolean closed;

    RedisSubscriber(RedisConnections redis, List<String> fixed, BiConsumer<String, String> onMessage) {
        this.redis = redis;
        this.channels.addAll(fixed);
        this.onMessage = onMessage;
        this.connection = subscribe();
        this.thread = Thread.ofPlatform().name("pixelsense-redis-events").daemon(true).start(this::loop);
    }

    private RespConnection subscribe() {
        RespConnection c = redis.open();
        Object[] command = new Object[channels.size() + 1];
        command[0] = "SUBSCRIBE";
        int i = 1;
        for (String channel : channels) {
            command[i++] = channel;
        }
        c.send(command);
        for (int n = 1; n < command.length; n++) {
            c.read();   // ["subscribe", channel, count]
        }
        c.timeout(0);   // pushes may be hours apart
        return c;
    }

    void add(String channel) {
        if (!channels.add(channel)) {
            return;
        }
        CompletableFuture<Void> confirmed = confirming.computeIfAbsent(channel, k -> new CompletableFuture<>());
        send("SUBSCRIBE", channel);
        try {
            confirmed.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("no confirmation of the subscription to {} yet: {}", channel, e.toString());
        } finally {
            confirming.remove(channel);
        }
    }

    void remove(String channel) {
        if (channels.remove(channel)) {
            send("UNSUBSCRIBE", channel);
        }
    }

    private void send(Object... command) {
        RespConnection c = connection;
        try {
            synchronized (this) {
                c.send(command);
            }
        } catch (UncheckedIOException e) {
            log.debug("Redis subscription connection down ({}); the reconnect subscribes again", e.getMessage());
        }
    }

    private void loop() {
        while (!closed) {
            try {
                Object push = connection.read();
                if (push instanceof List<?> parts && parts.size() == 3) {
                    if ("message".equals(parts.get(0))) {
                        deliver((String) parts.get(1), (String) parts.get(2));
                    } else if ("subscribe".equals(parts.get(0))) {
                        CompletableFuture<Void> f = confirming.get((String) parts.get(1));
                        if (f != null) {
                            f.complete(null);
                        }
                    }
                }
            } catch (UncheckedIOException e) {
                if (closed) {
                    return;
                }
                log.warn("Redis subscription lost ({}); reconnecting", e.getMessage());
                connection.close();
                while (!closed) {
                    try {
                        Thread.sleep(1000);
                        connection = subscribe();
                        break;
                    } catch (InterruptedException ie) {
                        return;
                    } catch (RuntimeException again) {
                        log.debug("Redis still unreachable: {}", again.getMessage());
                    }
                }
            }
        }
    }

    private void deliver(String channel, String payload) {
        try {
            onMessage.accept(channel, payload);
        } catch (RuntimeException e) {
            log.warn("a job event listener failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            connection.close();
            thread.interrupt();
        }
    }
}
