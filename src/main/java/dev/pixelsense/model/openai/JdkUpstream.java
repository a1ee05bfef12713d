package dev.pixelsense.model.openai;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Upstreams reached through the JDK {@code HttpClient}: HTTP/2 over https, HTTP/1.1 otherwise. */
final class JdkUpstream implements Upstream {
    private final HttpClient http;

    JdkUpstream(Duration connectTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Call call(OpenAiSettings.Deployment d, byte[] body, boolean stream) {
        HttpRequest request = build(d, body, stream);
        return new Call() {
            private volatile CompletableFuture<HttpResponse<InputStream>> future;
            private volatile boolean cancelled;

            @Override
            public Response await() throws IOException, InterruptedException {
                CompletableFuture<HttpResponse<InputStream>> f =
                        http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
                future = f;
                if (cancelled) {
                    f.cancel(true);
                }
                HttpResponse<InputStream> response;
                try {
                    response = f.get();
                } catch (InterruptedException e) {
                    f.cancel(true);
                    throw e;
                } catch (CancellationException e) {
                    throw new IOException("cancelled", e);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io
                            : new IOException(e.getCause().getMessage(), e.getCause());
                }
                Map<String, String> headers = new HashMap<>();
                response.headers().map().forEach((k, v) -> {
                    if (!v.isEmpty()) {
                        headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst());
                    }
                });
                return new Response(response.statusCode(), headers, response.body());
            }

            @Override
            public void cancel() {
                cancelled = true;
                CompletableFuture<?> f = future;
                if (f != null) {
                    f.cancel(true);
                }
            }
        };
    }

    private static HttpRequest build(OpenAiSettings.Deployment d, byte[] body, boolean stream) {
        HttpRequest.Builder b = HttpRequest.newBuilder(d.chatUrl())
                .version("https".equals(d.chatUrl().getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (d.apiKey() != null) {
            b.header("Authorization", "Bearer " + d.apiKey());
        }
        d.headers().forEach(b::header);
        return b.build();
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
