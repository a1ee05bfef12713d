package dev.pixelsense.jobs;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pub/sub connection and the daemon thread that reads it, calling {@code onMessage(channel,
 * payload)} in arrival order. The constructor returns once Redis confirmed every subscription, so
 * nothing published after it is missed. A broken connection is reopened after a second (messages
 * published meanwhile are lost: pub/sub is at-most-once, which is why job state lives in hashes).
 */
final class RedisSubscriber implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisSubscriber.class);

    private final RedisConnections redis;
    private final List<String> channels;
    private final BiConsumer<String, String> onMessage;
    private final Thread thread;
    private volatile RespConnection connection;
    private volatile boolean closed;

    RedisSubscriber(RedisConnections redis, List<String> channels, BiConsumer<String, String> onMessage) {
        this.redis = redis;
        this.channels = channels;
        this.onMessage = onMessage;
        this.connection = subscribe();
        this.thread = Thread.ofPlatform().name("pixelsense-redis-events").daemon(true).start(this::loop);
    }

    private RespConnection subscribe() {
        RespConnection c = redis.open();
        Object[] command = new Object[channels.size() + 1];
        command[0] = "SUBSCRIBE";
        for (int i = 0; i < channels.size(); i++) {
            command[i + 1] = channels.get(i);
        }
        c.send(command);
        for (int i = 0; i < channels.size(); i++) {
            c.read();   // ["subscribe", channel, count]
        }
        c.timeout(0);   // pushes may be hours apart
        return c;
    }

    private void loop() {
        while (!closed) {
            try {
                Object push = connection.read();
                if (push instanceof List<?> parts && parts.size() == 3 && "message".equals(parts.get(0))) {
                    try {
                        onMessage.accept((String) parts.get(1), (String) parts.get(2));
                    } catch (RuntimeException e) {
                        log.warn("a job event listener failed: {}", e.toString());
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

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            connection.close();
            thread.interrupt();
        }
    }
}
