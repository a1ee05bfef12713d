package dev.pixelsense.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and drops what is left of a refused request's body before the error answer goes out.
 *
 * <p>Clients such as curl send the whole body before they read the answer. If the server answers
 * 413 or 401 and closes with the body still arriving, the client's write fails with a broken pipe
 * and it never sees the error. Up to {@code cap} bytes are read so that it does; a body larger than
 * that is cut off, since reading it would cost more than the limit allows for a good request.
 */
final class RefusedBody {
    private RefusedBody() {
    }

    static void discard(Context ctx, long cap) {
        long declared = ctx.req().getContentLengthLong(); // -1 when unknown (chunked)
        if (ctx.statusCode() < 400 || declared == 0 || declared > cap) {
            return;
        }
        byte[] sink = new byte[64 * 1024];
        long left = cap;
        try {
            InputStream in = ctx.req().getInputStream();
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
                left -= n;
            }
        } catch (IOException | IllegalStateException gone) {
            // the client went away or the body was already read as something else: nothing to drop
        }
    }
}
