package dev.pixelsense.model.openai;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * How one model's requests reach its upstreams: the JDK {@code HttpClient} for anything remote
 * (https, HTTP/2, proxies), or a plain blocking socket for a runner process on loopback, where the
 * client's selector and worker threads cost more CPU per streamed chunk than the parsing does.
 * The policy around a request (deadlines, cancellation, error mapping) stays in {@link Exchange}.
 */
sealed interface Upstream extends AutoCloseable permits JdkUpstream, LoopbackUpstream {

    /** Prepares one request; nothing is sent until {@link Call#await()}. */
    Call call(OpenAiSettings.Deployment d, byte[] body, boolean stream);

    /** Releases connections and threads; idempotent. */
    @Override
    void close();

    /** One request in flight. */
    interface Call {
        /**
         * Sends the request (if not yet sent) and blocks until the status and headers arrived.
         * A connect timeout is a {@link java.net.http.HttpConnectTimeoutException}.
         */
        Response await() throws IOException, InterruptedException;

        /** Drops the request and its connection; any thread, any time, idempotent. */
        void cancel();
    }

    /** Status, headers (names in lower case, first value) and the unread body. */
    record Response(int status, Map<String, String> headers, InputStream body) {
        String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }
    }
}
