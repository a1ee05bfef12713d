package dev.pixelsense.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The {@code jobs:} section: where jobs queue, how workers run them, webhooks, and the limits on
 * what job inputs may hold. Every key has a default; the command line ({@code serve --redis},
 * {@code worker --concurrency ...}) overrides the file.
 *
 * @param redis the Redis holding the jobs (null: in-process jobs)
 * @param concurrency jobs a worker runs at once (default 2)
 * @param lease how long a job's delivery lasts without a heartbeat; a dead worker's job is reclaimed
 *     after it (default 30s; at least 300ms)
 * @param maxAttempts attempts before a job fails for good and goes to the dead letter (default 3)
 * @param backoff the wait before the second attempt, doubling after each (default 1s)
 * @param maxBackoff the longest wait between attempts (default 60s)
 * @param resultTtl how long finished jobs are kept (default 24h)
 * @param models the models a worker serves and announces; null = every model of the config (ids and aliases)
 */
public record JobsConfig(URI redis, int concurrency, Duration lease, int maxAttempts, Duration backoff,
                         Duration maxBackoff, Duration resultTtl, List<String> models, Webhooks webhooks,
                         Inputs inputs) {
    static final Set<String> KEYS = Set.of("redis", "concurrency", "lease", "max_attempts", "backoff", "max_backoff",
            "result_ttl", "models", "webhooks", "inputs");
    static final Set<String> WEBHOOK_KEYS = Set.of("secret", "allow_private", "max_attempts", "backoff", "timeout");
    static final Set<String> INPUT_KEYS = Set.of("max_images", "max_image_size", "max_video_size", "video_dirs",
            "max_frames", "max_video_duration", "ffmpeg");

    public static final JobsConfig DEFAULT = new JobsConfig(null, 2, Duration.ofSeconds(30), 3, Duration.ofSeconds(1),
            Duration.ofSeconds(60), Duration.ofHours(24), null, Webhooks.DEFAULT, Inputs.DEFAULT);

    /**
     * Webhooks ({@code jobs.webhooks}): a job's final state is POSTed to its {@code webhook} URL,
     * signed with HMAC-SHA256 under {@code secret}.
     *
     * @param secret the signing key (at least 16 characters; null: webhooks are refused)
     * @param allowPrivate allow loopback, private and link-local targets (default false, like remote images)
     * @param maxAttempts POSTs before giving up (default 5)
     * @param backoff the wait after the first failed POST, doubling (default 1s, at most 10 min)
     * @param timeout connect and response timeout of one POST (default 10s)
     */
    public record Webhooks(String secret, boolean allowPrivate, int maxAttempts, Duration backoff, Duration timeout) {
        public static final Webhooks DEFAULT = new Webhooks(null, false, 5, Duration.ofSeconds(1),
                Duration.ofSeconds(10));

        public Webhooks withSecret(String value) {
            return new Webhooks(value, allowPrivate, maxAttempts, backoff, timeout);
        }
    }

    /**
     * Limits on job inputs from outside ({@code jobs.inputs}).
     *
     * @param maxImages images in one describe_images or ocr_images job (default 16)
     * @param maxImageBytes bytes of one image, inline or fetched (default 20MB)
     * @param maxVideoBytes bytes of the video of a describe_video job, inline or fetched (default 100MB)
     * @param videoDirs directories a describe_video job may name a file under (default none: no paths)
     * @param maxFrames frames sampled from a video, at most (default 16)
     * @param maxVideoDuration the part of a video that is looked at (default 10m)
     * @param ffmpeg the ffmpeg executable (default {@code ffmpeg} on the PATH)
     */
    public record Inputs(int maxImages, long maxImageBytes, long maxVideoBytes, List<Path> videoDirs, int maxFrames,
                         Duration maxVideoDuration, String ffmpeg) {
        public static final Inputs DEFAULT = new Inputs(16, 20L << 20, 100L << 20, List.of(), 16,
                Duration.ofMinutes(10), "ffmpeg");

        public Inputs {
            videoDirs = List.copyOf(videoDirs);
        }

        public Inputs withVideoDirs(List<Path> dirs) {
            return new Inputs(maxImages, maxImageBytes, maxVideoBytes, dirs, maxFrames, maxVideoDuration, ffmpeg);
        }
    }

    public JobsConfig withRedis(URI value) {
        return new JobsConfig(value, concurrency, lease, maxAttempts, backoff, maxBackoff, resultTtl, models, webhooks,
                inputs);
    }

    public JobsConfig withConcurrency(int value) {
        return new JobsConfig(redis, value, lease, maxAttempts, backoff, maxBackoff, resultTtl, models, webhooks,
                inputs);
    }

    public JobsConfig withWebhooks(Webhooks value) {
        return new JobsConfig(redis, concurrency, lease, maxAttempts, backoff, maxBackoff, resultTtl, models, value,
                inputs);
    }

    public JobsConfig withInputs(Inputs value) {
        return new JobsConfig(redis, concurrency, lease, maxAttempts, backoff, maxBackoff, resultTtl, models, webhooks,
                value);
    }

    /** Reads {@code jobs:}, checking every value where it is written. */
    static JobsConfig read(ConfigNode n) {
        n.allowOnly(KEYS);
        JobsConfig d = DEFAULT;
        URI redis = null;
        String url = n.string("redis", null);
        if (url != null) {
            try {
                redis = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw n.child("redis").error("not a URL: " + e.getMessage());
            }
            if (!"redis".equals(redis.getScheme()) || redis.getHost() == null) {
                throw n.child("redis").error("a Redis URL looks like redis://[:password@]host[:port][/db]");
            }
        }
        Duration lease = n.duration("lease", d.lease());
        if (lease.compareTo(Duration.ofMillis(300)) < 0) {
            throw n.child("lease").error("must be at least 300ms: it is renewed every third of it");
        }
        Duration backoff = n.duration("backoff", d.backoff());
        Duration maxBackoff = n.duration("max_backoff", d.maxBackoff());
        if (maxBackoff.compareTo(backoff) < 0) {
            throw n.child("max_backoff").error("must not be shorter than backoff (" + backoff.toMillis() + "ms)");
        }
        Duration ttl = n.duration("result_ttl", d.resultTtl());
        if (ttl.toSeconds() < 1) {
            throw n.child("result_ttl").error("must be at least 1s");
        }
        List<String> models = n.has("models") ? n.strings("models") : null;
        return new JobsConfig(redis, n.integer("concurrency", d.concurrency(), 1, 1024), lease,
                n.integer("max_attempts", d.maxAttempts(), 1, 100), backoff, maxBackoff, ttl, models,
                webhooks(n.object("webhooks")), inputs(n.object("inputs")));
    }

    private static Webhooks webhooks(ConfigNode w) {
        w.allowOnly(WEBHOOK_KEYS);
        Webhooks d = Webhooks.DEFAULT;
        String secret = w.string("secret", null);
        if (secret != null && secret.length() < 16) {
            throw w.child("secret").error("must be at least 16 characters (receivers check signatures with it)");
        }
        Duration backoff = w.duration("backoff", d.backoff());
        if (backoff.isNegative() || backoff.compareTo(Duration.ofMinutes(10)) > 0) {
            throw w.child("backoff").error("must be between 0s and 10m");
        }
        Duration timeout = w.duration("timeout", d.timeout());
        if (timeout.toMillis() < 100) {
            throw w.child("timeout").error("must be at least 100ms");
        }
        return new Webhooks(secret, w.bool("allow_private", d.allowPrivate()), w.integer("max_attempts",
                d.maxAttempts(), 1, 50), backoff, timeout);
    }

    private static Inputs inputs(ConfigNode i) {
        i.allowOnly(INPUT_KEYS);
        Inputs d = Inputs.DEFAULT;
        List<Path> dirs = i.strings("video_dirs").stream().map(Path::of).toList();
        for (ConfigNode dir : i.list("video_dirs")) {
            if (!Path.of(dir.asString()).isAbsolute()) {
                throw dir.error("must be an absolute directory");
            }
        }
        return new Inputs(i.integer("max_images", d.maxImages(), 1, 1000), i.bytes("max_image_size",
                d.maxImageBytes()), i.bytes("max_video_size", d.maxVideoBytes()), dirs,
                i.integer("max_frames", d.maxFrames(), 1, 256), i.duration("max_video_duration",
                d.maxVideoDuration()), i.string("ffmpeg", d.ffmpeg()));
    }
}
