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
    /** A whole (not streamed) answer larger than this is refused: no chat completion is that large. */
    private static final int MAX_ANSWER = 64 * 1024 * 1024;
    private final String modelId;
    private final OpenAiSettings settings;
    private final ScheduledExecutorService timers;
    private final Upstream upstream;
    private final AtomicLongArray coolUntil;
    private final AtomicInteger next = new AtomicInteger();

    OpenAiBackend(String modelId, OpenAiSettings settings, ScheduledExecutorService timers, Upstream upstream) {
        this.modelId = modelId;
        this.settings = settings;
        this.timers = timers;
        this.upstream = upstream;
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
        Upstream.Response response = exchange.send(this.upstream, OpenAiJson.write(upstream), true);
        return new SseChatStream(exchange, response.body(), settings.timeouts().idle());
    }

    private ChatCompletion completeOn(OpenAiSettings.Deployment d, ChatRequest request, CallContext context) {
        ChatRequest upstream = request.withModel(d.upstreamModel()).withStreaming(false);
        Exchange exchange = new Exchange(modelId, d, timers, settings.timeouts().request(), "answer");
        context.onCancel(exchange::abort);
        try (exchange) {
            Upstream.Response response = exchange.send(this.upstream, OpenAiJson.write(upstream), false);
            ChatCompletion answer;
            try {
                // read to the end first: Jackson would close the stream, and with it a connection to keep
                byte[] bytes = response.body().readNBytes(MAX_ANSWER + 1);
                if (bytes.length > MAX_ANSWER) {
                    throw new IOException("the answer is larger than " + (MAX_ANSWER >> 20) + " MiB");
                }
                answer = OpenAiJson.MAPPER.readValue(bytes, ChatCompletion.class);
            } catch (IOException e) {
                throw exchange.failure(e, "reading the answer");
            }
            exchange.release();
            return answer;
        }
    }

    @Override
    public void close() {
        upstream.close();
    }

    static UpstreamTimeoutException timeout(String modelId, OpenAiSettings.Deployment d, String phase) {
        return new UpstreamTimeoutException("model '" + modelId + "': " + d.chatUrl().getHost()
                + " timed out waiting for the " + phase);
    }
}
