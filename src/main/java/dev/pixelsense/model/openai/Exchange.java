package dev.pixelsense.model.openai;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.CancelledException;
import dev.pixelsense.error.PixelsenseException;
import dev.pixelsense.error.RateLimitedException;
import dev.pixelsense.error.UpstreamException;
import dev.pixelsense.error.UpstreamTimeoutException;
import dev.pixelsense.util.Watchdog;
import dev.pixelsense.openai.OpenAiJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One HTTP exchange with an upstream and everything that can end it early: the caller's
 * cancellation, the watchdog's deadline, or the upstream's own failure, each turned into the
 * exception that says which it was. {@link #abort()} may be called from any thread.
 */
final class Exchange implements AutoCloseable {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final String modelId;
    private final OpenAiSettings.Deployment deployment;
    private final Watchdog watchdog;
    private volatile Upstream.Call pending;
    private volatile InputStream body;
    private volatile boolean aborted;

    Exchange(String modelId, OpenAiSettings.Deployment deployment, ScheduledExecutorService timers,
             Duration firstDeadline, String phase) {
        this.modelId = modelId;
        this.deployment = deployment;
        this.watchdog = new Watchdog(timers, firstDeadline, phase, this::cut);
    }

    /** Sends the request and returns the 200 response; any other status becomes an exception. */
    Upstream.Response send(Upstream upstream, byte[] requestBody, boolean stream) {
        Upstream.Call call = upstream.call(deployment, requestBody, stream);
        pending = call;
        if (aborted) {
            call.cancel();
        }
        Upstream.Response response;
        try {
            response = call.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return interrupted(call);
        } catch (IOException e) {
            // a virtual thread interrupted in a blocking socket call sees the socket closed
            if (Thread.currentThread().isInterrupted()) {
                return interrupted(call);
            }
            close();
            throw failure(e, "connecting");
        }
        body = response.body();
        if (aborted) {
            close();
            throw failure(new IOException("aborted"), "connecting");
        }
        if (response.status() != 200) {
            try (InputStream in = response.body()) {
                byte[] bytes = in.readNBytes(MAX_ERROR_BODY);
                throw statusError(response.status(), bytes, response.header("retry-after"));
            } catch (IOException e) {
                throw failure(e, "reading an error answer");
            } finally {
                close();
            }
        }
        return response;
    }

    private Upstream.Response interrupted(Upstream.Call call) {
        call.cancel();
        close();
        throw new CancelledException("interrupted while waiting for the upstream");
    }

    Watchdog watchdog() {
        return watchdog;
    }

    /** The exception for an I/O failure, telling a deadline or a cancellation from a real failure. */
    PixelsenseException failure(Throwable cause, String during) {
        if (cause instanceof PixelsenseException p) {
            return p;
        }
        PixelsenseException ours = cutByUs();
        if (ours != null) {
            return ours;
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new UpstreamTimeoutException("model '" + modelId + "': connecting to " + where() + " timed out");
        }
        if (cause instanceof ConnectException) {
            return new UpstreamException("model '" + modelId + "': cannot connect to " + where()
                    + " (connection refused)", cause);
        }
        String what = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new UpstreamException("model '" + modelId + "': " + where() + " failed while " + during + ": " + what,
                cause);
    }

    private PixelsenseException statusError(int status, byte[] bytes, String retryAfter) {
        String detail = errorMessage(bytes);
        String prefix = "model '" + modelId + "': " + where() + " answered " + status;
        return switch (status) {
            case 400, 413, 422 -> new BadRequestException(prefix + ": " + detail);
            case 401, 403 -> new UpstreamException(prefix + " (check the model's api_key or api_key_env): " + detail);
            case 408 -> new UpstreamTimeoutException(prefix + ": " + detail);
            case 429 -> new RateLimitedException(prefix + ": " + detail, retryAfter(retryAfter));
            case 504 -> new UpstreamTimeoutException(prefix + ": " + detail);
            default -> new UpstreamException(prefix + ": " + detail);
        };
    }

    private static String errorMessage(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        try {
            var node = OpenAiJson.MAPPER.readTree(bytes);
            if (node != null && node.path("error").path("message").isTextual()) {
                return node.path("error").path("message").asText();
            }
            if (node != null && node.path("error").isTextual()) {
                return node.path("error").asText();
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        return text.isEmpty() ? "(no body)" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static long retryAfter(String value) {
        if (value == null) {
            return 1L;
        }
        try {
            return (long) Math.ceil(Double.parseDouble(value.trim()));
        } catch (NumberFormatException e) {
            return 1L;
        }
    }

    /**
     * The exception for a stream that ended before its answer did. Cutting the connection (a
     * cancellation, a deadline) can show as a plain end of stream, so those are told apart first.
     */
    PixelsenseException endedEarly() {
        PixelsenseException ours = cutByUs();
        return ours != null ? ours
                : new UpstreamException("the upstream closed the stream before the answer was complete");
    }

    /** A timeout or cancellation if this exchange was cut by its watchdog or its caller, else null. */
    private PixelsenseException cutByUs() {
        if (watchdog.fired()) {
            return OpenAiBackend.timeout(modelId, deployment, watchdog.phase());
        }
        if (aborted) {
            return new CancelledException("the request to model '" + modelId + "' was cancelled");
        }
        return null;
    }

    private String where() {
        var u = deployment.chatUrl();
        return u.getScheme() + "://" + u.getAuthority();
    }

    /** Caller cancellation: stop waiting and drop the connection. */
    void abort() {
        aborted = true;
        cut();
    }

    private void cut() {
        Upstream.Call c = pending;
        if (c != null) {
            c.cancel();
        }
        InputStream in = body;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the connection is being dropped anyway
            }
        }
    }

    /**
     * Releases the exchange after its answer was read as far as it goes: a kept-alive connection
     * may then serve the next request (see {@link SocketBody#recycle()}).
     */
    void release() {
        watchdog.close();
        InputStream in = body;
        body = null;
        try {
            if (in instanceof SocketBody socketBody) {
                socketBody.recycle();
            } else if (in != null) {
                in.close();
            }
        } catch (IOException ignored) {
            // nothing to save
        }
    }

    /** Releases the exchange; an unread body is closed, which drops the connection. */
    @Override
    public void close() {
        watchdog.close();
        InputStream in = body;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to save
            }
        }
    }
}
