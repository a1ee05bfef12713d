package dev.pixelsense.api;

import dev.pixelsense.model.CallContext;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * Notices that an HTTP/1.1 client went away while its handler is blocked (waiting for a queue
 * slot, an upstream's first token). Jetty does not read from a connection while a blocking
 * handler runs, so no listener fires on a remote close; instead a virtual thread polls the
 * connection with a non-blocking one-byte read every {@value #POLL_MS} ms, and end-of-stream
 * cancels the call. The watch must be closed before the handler returns, or it could take bytes
 * of the next request on a kept-alive connection; a byte it does read (a pipelined request) makes
 * the response close the connection.
 */
final class DisconnectWatch implements AutoCloseable {
    static final int POLL_MS = 25;

    private final Thread poller;
    private volatile boolean stopped;

    private DisconnectWatch(EndPoint endPoint, CallContext call, Context ctx) {
        this.poller = Thread.ofVirtual().name("disconnect-watch").start(() -> poll(endPoint, call, ctx));
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
        return new DisconnectWatch(endPoint, call, ctx);
    }

    private void poll(EndPoint endPoint, CallContext call, Context ctx) {
        ByteBuffer one = ByteBuffer.allocate(1);
        one.flip();
        while (!stopped) {
            LockSupport.parkNanos(POLL_MS * 1_000_000L);
            if (stopped) {
                return;
            }
            try {
                one.clear().flip();
                int n = endPoint.fill(one);
                if (n < 0) {
                    call.cancel();
                    return;
                }
                if (n > 0) {
                    ctx.header("Connection", "close");
                }
            } catch (Exception e) {
                call.cancel();
                return;
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(poller);
        try {
            poller.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
