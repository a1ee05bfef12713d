package dev.pixelsense.api;

import dev.pixelsense.model.CallContext;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that an HTTP/1.1 client went away while its handler is blocked (waiting for a queue
 * slot, an upstream's first token). Jetty does not read from a connection while a blocking
 * handler runs, so no listener fires on a remote close; instead one shared thread polls every
 * watched connection with a non-blocking one-byte read every {@value #POLL_MS} ms, and
 * end-of-stream cancels the call. The watch must be closed before the handler returns, or it could
 * take bytes of the next request on a kept-alive connection; a byte it does read (a pipelined
 * request) makes the response close the connection.
 *
 * <p>One thread for all watches rather than one per request: starting and joining a thread was
 * on every request's path, and each stream woke its own poller 40 times a second. The shared
 * thread sleeps without a timeout while nothing is watched.
 */
final class DisconnectWatch implements AutoCloseable {
    static final int POLL_MS = 25;
    private static final Logger log = LoggerFactory.getLogger(DisconnectWatch.class);

    private static final Set<DisconnectWatch> WATCHED = ConcurrentHashMap.newKeySet();
    private static final Thread POLLER = Thread.ofPlatform().name("pixelsense-disconnect-watch").daemon(true)
            .unstarted(DisconnectWatch::pollForever);

    static {
        POLLER.start();
    }

    private final EndPoint endPoint;
    private final CallContext call;
    private final Context ctx;
    private final ByteBuffer one = ByteBuffer.allocate(1);
    private boolean stopped; // guarded by this: no read may start after close() returned

    private DisconnectWatch(EndPoint endPoint, CallContext call, Context ctx) {
        this.endPoint = endPoint;
        this.call = call;
        this.ctx = ctx;
    }

    /** Starts watching; returns a no-op watch if the connection cannot be reached. */
    static AutoCloseable start(Context ctx, CallContext call) {
        EndPoint endPoint;
        try {
            endPoint = ServletContextRequest.getServletContextRequest(ctx.req())
                    .getConnectionMetaData().getConnection().getEndPoint();
        } catch (RuntimeException e) {
            return () -> { };
        }
        DisconnectWatch watch = new DisconnectWatch(endPoint, call, ctx);
        boolean wasIdle = WATCHED.isEmpty();
        WATCHED.add(watch);
        if (wasIdle) {
            LockSupport.unpark(POLLER);
        }
        return watch;
    }

    private static void pollForever() {
        while (true) {
            if (WATCHED.isEmpty()) {
                LockSupport.park(); // start() unparks when the first watch arrives
                continue;
            }
            LockSupport.parkNanos(POLL_MS * 1_000_000L);
            for (DisconnectWatch watch : WATCHED) {
                try {
                    watch.poll();
                } catch (RuntimeException e) {
                    // one bad connection must not end the watch of all the others
                    log.warn("disconnect watch: {}", e.toString());
                }
            }
        }
    }

    private void poll() {
        boolean gone;
        synchronized (this) {
            if (stopped) {
                return;
            }
            try {
                one.clear().flip();
                int n = endPoint.fill(one);
                gone = n < 0;
                if (n > 0) {
                    ctx.header("Connection", "close");
                }
            } catch (Exception e) {
                gone = true;
            }
            if (gone) {
                stopped = true;
            }
        }
        if (gone) {
            WATCHED.remove(this);
            // cancelling runs the call's actions (closing sockets, waking waiters): not on the shared thread
            Thread.ofVirtual().name("disconnect-cancel").start(call::cancel);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            stopped = true;
        }
        WATCHED.remove(this);
    }
}
