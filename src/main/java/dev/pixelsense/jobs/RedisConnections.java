package dev.pixelsense.jobs;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * A pool of {@link RespConnection}s: a caller borrows one for a call (or a blocking read) and gives
 * it back; a connection that failed is closed rather than reused. Grows on demand (a worker's
 * blocking reads each hold one), keeps at most {@value #MAX_IDLE} idle. Thread-safe.
 */
final class RedisConnections implements AutoCloseable {
    static final int MAX_IDLE = 32;
    static final int TIMEOUT_MILLIS = 10_000;

    private final URI uri;
    private final BlockingQueue<RespConnection> idle = new ArrayBlockingQueue<>(MAX_IDLE);
    private volatile boolean closed;

    RedisConnections(URI uri) {
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("a Redis URL looks like redis://[:password@]host[:port][/db] (got '"
                    + uri + "')");
        }
        this.uri = uri;
    }

    URI uri() {
        return uri;
    }

    RespConnection open() {
        return new RespConnection(uri, TIMEOUT_MILLIS);
    }

    <T> T with(Function<RespConnection, T> work) {
        if (closed) {
            throw new IllegalStateException("the Redis job queue is closed");
        }
        RespConnection c = idle.poll();
        if (c == null) {
            c = open();
        }
        boolean healthy = false;
        try {
            T result = work.apply(c);
            healthy = true;
            return result;
        } catch (RespConnection.RedisError e) {
            healthy = true;   // an error reply leaves the connection in step
            throw e;
        } finally {
            if (!healthy || closed || !idle.offer(c)) {
                c.close();
            }
        }
    }

    Object call(Object... args) {
        return with(c -> c.call(args));
    }

    /** Like {@link #call} but retries once on a fresh connection when a pooled one had gone stale. */
    Object callRetrying(Object... args) {
        try {
            return call(args);
        } catch (UncheckedIOException e) {
            return call(args);
        }
    }

    /**
     * Runs a script by its SHA; when Redis does not know it yet (first use, or after a restart or
     * SCRIPT FLUSH) sends its text once. Retries once on a fresh connection like {@link #callRetrying}.
     */
    Object eval(RedisScripts.Script script, List<String> keys, Object... args) {
        Object[] command = new Object[3 + keys.size() + args.length];
        command[0] = "EVALSHA";
        command[1] = script.sha();
        command[2] = keys.size();
        for (int i = 0; i < keys.size(); i++) {
            command[3 + i] = keys.get(i);
        }
        System.arraycopy(args, 0, command, 3 + keys.size(), args.length);
        try {
            return callRetrying(command);
        } catch (RespConnection.RedisError e) {
            if (!e.getMessage().startsWith("NOSCRIPT")) {
                throw e;
            }
            command[0] = "EVAL";
            command[1] = script.text();
            return callRetrying(command);
        }
    }

    /**
     * Sends commands back to back on one connection and then reads every reply (one round trip for
     * all); an error reply comes back in its place as a {@link RespConnection.RedisError}.
     */
    List<Object> pipeline(List<Object[]> commands) {
        return with(c -> {
            for (Object[] command : commands) {
                c.write(command);
            }
            c.flush();
            List<Object> replies = new ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                try {
                    replies.add(c.read());
                } catch (RespConnection.RedisError e) {
                    replies.add(e);
                }
            }
            return replies;
        });
    }

    @Override
    public void close() {
        closed = true;
        for (RespConnection c = idle.poll(); c != null; c = idle.poll()) {
            c.close();
        }
    }
}
