package dev.pixelsense.model.openai;

import dev.pixelsense.error.RetriableException;
import dev.pixelsense.error.UnavailableException;
import dev.pixelsense.error.UpstreamTimeoutException;
import dev.pixelsense.model.CallContext;
import dev.pixelsense.model.ChatStream;
import dev.pixelsense.model.spi.ChatBackend;
import dev.pixelsense.openai.ChatCompletion;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.openai.OpenAiJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;

/**
 * A model served by OpenAI-compatible upstreams. Requests go round-robin over the deployments
 * that are not cooling down; a deployment that fails (connection, 5xx, 429, timeout) cools down
 * for {@code cooldown} (or the upstream's Retry-After) and the next one is tried at once. With a
 * single deployment there is nothing to balance, so it is always tried.
 */
final class OpenAiBackend implements ChatBackend {
    private final String modelId;
    private final OpenAiSettings settings;
    private final ScheduledExecutorService timers;
    private final HttpClient http;
    private final AtomicLongArray coolUntil;
    private final AtomicInteger next = new AtomicInteger();

    OpenAiBackend(String modelId, OpenAiSettings settings, ScheduledExecutorService timers) {
        this.modelId = modelId;
        this.settings = settings;
        this.timers = timers;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeouts().connect())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.coolUntil = new AtomicLongArray(settings.deployments().size());
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
        return onSomeDeployment(context, i -> openStream(settings.deployments().get(i), request, context));
    }

    @Override
    public ChatCompletion complete(ChatRequest request, CallContext context) {
        return onSomeDeployment(context, i -> completeOn(settings.deployments().get(i), request, context));
    }

    private <T> T onSomeDeployment(CallContext context, IntFunction<T> call) {
        int n = settings.deployments().size();
        if (n == 1) {
            return call.apply(0);
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        RetriableException last = null;
        long soonest = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            long until = coolUntil.get(i);
            if (until - System.nanoTime() > 0) {
                soonest = Math.min(soonest, until);
                continue;
            }
            try {
                return call.apply(i);
            } catch (RetriableException e) {
                long seconds = e instanceof dev.pixelsense.error.RateLimitedException r
                        ? r.retryAfterSeconds() : settings.cooldown().toSeconds();
                coolUntil.set(i, System.nanoTime() + seconds * 1_000_000_000L);
                last = e;
                context.throwIfCancelled();
            }
        }
        if (last != null) {
            throw last;
        }
        long wait = Math.max(1, (soonest - System.nanoTime()) / 1_000_000_000L);
        throw new UnavailableException("all " + n + " deployments of model '" + modelId
                + "' are cooling down after failures; the next is tried again in " + wait + "s");
    }

    private ChatStream openStream(OpenAiSettings.Deployment d, ChatRequest request, CallContext context) {
        ChatRequest upstream = request.withModel(d.upstreamModel()).withStreaming(true);
        Exchange exchange = new Exchange(modelId, d, timers, settings.timeouts().firstToken(), "first token");
        context.onCancel(exchange::abort);
        HttpResponse<InputStream> response = exchange.send(http, build(d, upstream, true));
        return new SseChatStream(exchange, response.body(), settings.timeouts().idle());
    }

    private ChatCompletion completeOn(OpenAiSettings.Deployment d, ChatRequest request, CallContext context) {
        ChatRequest upstream = request.withModel(d.upstreamModel()).withStreaming(false);
        Exchange exchange = new Exchange(modelId, d, timers, settings.timeouts().request(), "answer");
        context.onCancel(exchange::abort);
        try (exchange) {
            HttpResponse<InputStream> response = exchange.send(http, build(d, upstream, false));
            try (InputStream body = response.body()) {
                return OpenAiJson.MAPPER.readValue(body, ChatCompletion.class);
            } catch (IOException e) {
                throw exchange.failure(e, "reading the answer");
            }
        }
    }

    private static HttpRequest build(OpenAiSettings.Deployment d, ChatRequest request, boolean stream) {
        HttpRequest.Builder b = HttpRequest.newBuilder(d.chatUrl())
                .version("https".equals(d.chatUrl().getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(OpenAiJson.write(request)));
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

    static UpstreamTimeoutException timeout(String modelId, OpenAiSettings.Deployment d, String phase) {
        return new UpstreamTimeoutException("model '" + modelId + "': " + d.chatUrl().getHost()
                + " timed out waiting for the " + phase);
    }
}
