package dev.pixelsense.jobs;

import dev.pixelsense.config.JobsConfig;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.openai.OpenAiJson;
import dev.pixelsense.util.RemoteFetcher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Semaphore;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers job webhooks: when a job with a {@code webhook} URL ends (succeeded, failed or
 * cancelled), its JSON (as {@code GET /v1/jobs/{id}} shows it) is POSTed there with the headers
 * {@code X-Pixelsense-Signature: sha256=HEX} (HMAC-SHA256 of the exact body under
 * {@code jobs.webhooks.secret}), {@code X-Pixelsense-Timestamp} (Unix seconds of this attempt) and
 * {@code X-Pixelsense-Job}. A 2xx answer delivers it; anything else (or no answer within the
 * timeout) is retried after backoff, 2x backoff, ... up to {@code max_attempts}; the job's
 * {@code webhook} field shows where delivery stands. Redirects are not followed. The target must
 * pass the same address rules as remote images, at submit and again before each POST.
 *
 * <p>Engines queue due deliveries durably (Redis: a sorted set); any number of dispatchers (every
 * server and worker with a secret runs one) claim them, one POST per claim, at most
 * {@value #IN_FLIGHT} at once each, on virtual threads. A dispatcher that dies mid-POST leaves its
 * claim to expire, and another POSTs again: receivers should treat the job id as idempotent.
 */
public final class Webhooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    static final int IN_FLIGHT = 8;
    static final long POLL_MILLIS = 100;

    private final Broker broker;
    private final JobsConfig.Webhooks settings;
    private final HttpClient http;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final Thread thread;
    private volatile boolean closed;

    private Webhooks(Broker broker, JobsConfig.Webhooks settings) {
        this.broker = broker;
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.thread = Thread.ofPlatform().name("pixelsense-webhooks").daemon(true).start(this::loop);
    }

    /** Starts delivering the webhooks of {@code queue}'s jobs; needs a secret. */
    public static Webhooks start(JobQueue queue, JobsConfig.Webhooks settings) {
        if (settings.secret() == null) {
            throw new IllegalArgumentException("webhooks need jobs.webhooks.secret");
        }
        return new Webhooks((Broker) queue, settings);
    }

    /** Checks a job's webhook URL at submit time. */
    public static void check(String url, JobsConfig.Webhooks settings) {
        if (settings.secret() == null) {
            throw new BadRequestException("Webhooks are off on this server: set jobs.webhooks.secret in the config "
                    + "(receivers check signatures with it)", "webhook", "webhooks_disabled");
        }
        RemoteFetcher.checkAddress(URI.create(url), "webhook", rules(settings));
    }

    private static RemoteFetcher.Rules rules(JobsConfig.Webhooks settings) {
        return new RemoteFetcher.Rules("webhook", settings.allowPrivate(), 0, settings.timeout(),
                "jobs.webhooks.allow_private", null);
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of {@code body} under {@code secret}. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private void loop() {
        Duration claim = settings.timeout().multipliedBy(2).plusSeconds(5);
        while (!closed) {
            try {
                slots.acquire();
                String id = broker.claimWebhook(claim);
                if (id == null) {
                    slots.release();
                    Thread.sleep(POLL_MILLIS);
                    continue;
                }
                Thread.ofVirtual().name("pixelsense-webhook-" + id).start(() -> {
                    try {
                        deliver(id);
                    } finally {
                        slots.release();
                    }
                });
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                slots.release();
                if (!closed) {
                    log.warn("webhooks: cannot claim a delivery: {}", e.getMessage());
                    Worker.sleepQuietly(1000);
                }
            }
        }
    }

    private void deliver(String id) {
        Job job;
        try {
            job = broker.get(id);
        } catch (dev.pixelsense.error.NotFoundException e) {
            broker.webhookAttempted(id, new Job.Webhook("", "failed", 0, "the job is gone", null), null);
            return;
        }
        Job.Webhook was = job.webhook();
        int attempt = was.attempts() + 1;
        String error = post(job, attempt);
        if (error == null) {
            broker.webhookAttempted(id, new Job.Webhook(was.url(), "delivered", attempt, null, Instant.now()), null);
            return;
        }
        boolean again = attempt < settings.maxAttempts() && !error.startsWith("Refusing");
        Duration wait = settings.backoff().multipliedBy(1L << Math.min(20, attempt - 1));
        log.info("job {}: webhook attempt {} failed ({}){}", id, attempt, error, again ? "; retrying in "
                + wait.toMillis() + " ms" : "; giving up");
        broker.webhookAttempted(id, new Job.Webhook(was.url(), again ? "retrying" : "failed", attempt, error, null),
                again ? wait : null);
    }

    /** One POST; null when the receiver took it (2xx), else what went wrong. */
    private String post(Job job, int attempt) {
        try {
            URI uri = URI.create(job.webhook().url());
            RemoteFetcher.checkAddress(uri, "webhook", rules(settings));
            byte[] body = OpenAiJson.write(JobJson.of(job));
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "pixelsense-webhooks")
                    .header("X-Pixelsense-Signature", signature(settings.secret(), body))
                    .header("X-Pixelsense-Timestamp", Long.toString(Instant.now().getEpochSecond()))
                    .header("X-Pixelsense-Job", job.id())
                    .header("X-Pixelsense-Attempt", Integer.toString(attempt))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "the receiver answered " + response.statusCode();
        } catch (BadRequestException e) {
            return e.getMessage();
        } catch (java.io.IOException e) {
            return "POST failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }


    @Override
    public void close() {
        if (!closed) {
            closed = true;
            thread.interrupt();
            http.close();
        }
    }
}
