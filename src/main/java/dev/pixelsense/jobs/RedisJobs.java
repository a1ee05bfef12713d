package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.error.NotFoundException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Redis engine. A job is a hash {@code PREFIX job:ID} (expiring a result TTL after it ends, laid
 * out by {@link RedisJobCodec}); a delivery is an entry of its lane, a stream per priority band and
 * model ({@link RedisLanes}), read by the consumer group {@code workers} and acknowledged (and
 * deleted) when the attempt ends ({@link RedisDeliveries}). A worker that dies leaves its entry
 * pending; the heartbeat keeps a live worker's entry fresh (XCLAIM to itself), so XAUTOCLAIM with a
 * min-idle of one lease hands only dead workers' entries to others. Retries wait in the sorted set
 * {@code PREFIX delayed}; the dead letter is the stream {@code PREFIX dead}; webhook deliveries wait
 * in the sorted set {@code PREFIX webhooks}. Idempotency keys are {@code SET NX} with the result TTL.
 * Progress and state changes go over pub/sub on the job's own channel ({@code PREFIX events:ID},
 * subscribed to only while someone follows that job), cancellations on {@code PREFIX cancel}; they
 * are published by the transition scripts and read by one subscriber connection whose thread calls
 * listeners in order.
 */
final class RedisJobs implements Broker {
    static final int SUBMIT_BATCH = 500;
    private final JobSettings settings;
    private final RedisConnections redis;
    private final String prefix;
    private final RedisLanes lanes;
    private final RedisDeliveries deliveries;
    private final RedisCompletions completions;
    private final RedisWebhookQueue webhooks;
    private final RedisSubscriber subscriber;
    private final JobListeners listeners = new JobListeners();

    RedisJobs(URI uri, JobSettings settings) {
        this.settings = settings;
        this.redis = new RedisConnections(uri);
        this.prefix = settings.prefix();
        this.lanes = new RedisLanes(redis, prefix, settings.lease().toMillis());
        this.deliveries = new RedisDeliveries(redis, lanes, settings);
        this.completions = new RedisCompletions(redis, settings);
        this.webhooks = new RedisWebhookQueue(redis, prefix);
        redis.callRetrying("PING");   // fail fast
        this.subscriber = new RedisSubscriber(redis, List.of(prefix + "cancel"), this::message);
    }

    private String key(String id) {
        return prefix + "job:" + id;
    }

    @Override
    public Job submit(JobRequest request) {
        String id = Ids.newJobId();
        if (request.idempotencyKey() != null) {
            String idem = prefix + "idem:" + request.idempotencyKey();
            Object set = redis.callRetrying("SET", idem, id, "NX", "EX", settings.resultTtl().toSeconds());
            if (set == null) {
                return existing((String) redis.callRetrying("GET", idem));
            }
        }
        long now = System.currentTimeMillis();
        redis.eval(RedisScripts.SUBMIT, keys(id, request), fields(id, request, now));
        return queued(id, request, now);
    }

    /** One script call per batch of at most {@value #SUBMIT_BATCH} jobs (requests with idempotency keys go one by one). */
    @Override
    public List<Job> submitAll(List<JobRequest> requests) {
        if (requests.stream().anyMatch(r -> r.idempotencyKey() != null)) {
            return Broker.super.submitAll(requests);
        }
        long now = System.currentTimeMillis();
        List<Job> jobs = new ArrayList<>(requests.size());
        for (int from = 0; from < requests.size(); from += SUBMIT_BATCH) {
            List<Object> args = new ArrayList<>(List.of(prefix, now));
            for (JobRequest r : requests.subList(from, Math.min(requests.size(), from + SUBMIT_BATCH))) {
                String id = Ids.newJobId();
                List<Object> pairs = pairs(r, now);
                args.addAll(List.of(id, lanes.stream(r.priority(), r.model()), pairs.size()));
                args.addAll(pairs);
                jobs.add(queued(id, r, now));
            }
            redis.eval(RedisScripts.SUBMIT_MANY, List.of(), args.toArray());
        }
        return jobs;
    }

    private List<String> keys(String id, JobRequest request) {
        return List.of(key(id), lanes.stream(request.priority(), request.model()));
    }

    private Object[] fields(String id, JobRequest request, long now) {
        List<Object> fields = new ArrayList<>(List.of(prefix, id, now));
        fields.addAll(pairs(request, now));
        return fields.toArray();
    }

    /** The hash's field/value pairs of a new job. */
    private static List<Object> pairs(JobRequest request, long now) {
        List<Object> pairs = new ArrayList<>(List.of("type", request.type(), "input", request.input().toString(),
                "priority", request.priority(), "state", "queued", "attempts", 0, "progress", 0, "created", now));
        if (request.model() != null) {
            pairs.addAll(List.of("model", request.model()));
        }
        if (request.webhook() != null) {
            pairs.addAll(List.of("webhook", request.webhook(), "webhook_status", "pending"));
        }
        return pairs;
    }

    private static Job queued(String id, JobRequest r, long now) {
        return new Job(id, r.type(), JobState.QUEUED, 0, null, r.input(), r.model(), r.priority(), null, null, 0, null,
                Instant.ofEpochMilli(now), null, null, r.webhook() == null ? null : Job.Webhook.pending(r.webhook()));
    }

    /** The job an idempotency key points at; its submitter may not have written it yet. */
    private Job existing(String id) {
        for (int i = 0; ; i++) {
            try {
                return get(id);
            } catch (NotFoundException e) {
                if (id == null || i == 50) {
                    throw e;
                }
                Worker.sleepQuietly(20);
            }
        }
    }

    @Override
    public Job get(String id) {
        Job job = id == null ? null : read(id);
        if (job == null) {
            throw new NotFoundException("No job '" + id + "' (finished jobs are kept for "
                    + settings.resultTtl().toSeconds() + " s)", "id", "job_not_found");
        }
        return job;
    }

    private Job read(String id) {
        Job job = RedisJobCodec.job(id, (List<?>) redis.callRetrying("HGETALL", key(id)));
        if (job != null && job.state() instanceof JobState.Queued && job.model() != null && !lanes.served(job.model())) {
            return job.withMessage(Worker.unservedMessage(job.model()));
        }
        return job;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Job> list(JobState state, int limit) {
        List<Job> jobs = new ArrayList<>();
        for (JobState s : state == null ? JobState.ALL : List.of(state)) {
            String index = prefix + "state:" + s.name();
            for (Object id : (List<Object>) redis.callRetrying("ZREVRANGE", index, 0, limit - 1)) {
                Job job = read((String) id);
                if (job == null) {
                    redis.callRetrying("ZREM", index, id);   // its result TTL passed
                } else if (job.state().equals(s)) {
                    jobs.add(job);
                }
            }
        }
        return jobs.stream().sorted(Comparator.comparing(Job::createdAt).reversed()).limit(limit).toList();
    }

    @Override
    public Job cancel(String id) {
        get(id);
        redis.eval(RedisScripts.CANCEL, List.of(key(id), prefix + "delayed"), prefix, id, System.currentTimeMillis(),
                settings.resultTtl().toSeconds(), RedisJobCodec.event(JobEvent.state(id, JobState.CANCELLED)));
        return get(id);
    }

    private void message(String channel, String payload) {
        if (channel.endsWith("cancel")) {
            listeners.cancelled(payload);
            return;
        }
        listeners.emit(RedisJobCodec.event(RedisJobCodec.json(payload)));
    }

    /** Subscribes to the job's channel for its first listener (returns once Redis confirmed it). */
    @Override
    public Subscription subscribe(String id, Consumer<JobEvent> listener) {
        String channel = prefix + "events:" + id;
        synchronized (listeners) {
            boolean first = !listeners.hasSubscribers(id);
            Subscription s = listeners.subscribe(id, listener);
            if (first) {
                subscriber.add(channel);
            }
            return () -> {
                synchronized (listeners) {
                    s.close();
                    if (!listeners.hasSubscribers(id)) {
                        subscriber.remove(channel);
                    }
                }
            };
        }
    }

    @Override
    public Subscription onCancel(Consumer<String> listener) {
        return listeners.onCancel(listener);
    }

    @Override
    public void announce(String consumer, Set<String> models) {
        lanes.announce(consumer, models);
    }

    @Override
    public void retire(String consumer) {
        lanes.retire(consumer);
    }

    @Override
    public Delivery take(String consumer, Duration wait) throws InterruptedException {
        return deliveries.take(consumer, wait);
    }

    @Override
    public Job start(Delivery delivery, String consumer) {
        return deliveries.start(delivery, consumer);
    }

    @Override
    public boolean renew(Delivery delivery, String consumer) {
        return deliveries.renew(delivery, consumer);
    }

    @Override
    public void progress(String id, double fraction, String message) {
        redis.eval(RedisScripts.PROGRESS, List.of(key(id)), fraction, message == null ? "" : message,
                prefix + "events:" + id, RedisJobCodec.event(JobEvent.progress(id, fraction, message)));
    }

    @Override
    public boolean succeed(Delivery delivery, JsonNode result) {
        return finish(delivery, JobState.SUCCEEDED, "result", result == null ? "null" : result.toString(), false);
    }

    @Override
    public boolean fail(Delivery delivery, String error, boolean deadLetter) {
        return finish(delivery, JobState.FAILED, "error", error, deadLetter);
    }

    private boolean finish(Delivery d, JobState state, String field, String value, boolean deadLetter) {
        return completions.finish(d, state, field, value, deadLetter);
    }

    @Override
    public boolean retry(Delivery d, String error, Duration delay) {
        return (Long) redis.eval(RedisScripts.RETRY, List.of(key(d.id()), d.lane(), prefix + "delayed"), prefix,
                d.id(), RedisLanes.GROUP, d.handle(), error, System.currentTimeMillis() + delay.toMillis(),
                RedisJobCodec.event(JobEvent.state(d.id(), JobState.QUEUED))) == 1;
    }

    @Override
    public void ack(Delivery d) {
        deliveries.ack(d);
    }

    @Override
    public String claimWebhook(Duration claim) {
        return webhooks.claim(claim);
    }

    @Override
    public void webhookAttempted(String id, Job.Webhook status, Duration retryIn) {
        webhooks.attempted(id, status, retryIn);
    }

    @Override
    public JobSettings settings() {
        return settings;
    }

    @Override
    public long deadLetterCount() {
        return (Long) redis.callRetrying("XLEN", prefix + "dead");
    }

    @Override
    public String describe() {
        return "redis " + redis.uri().getHost() + ":" + redis.uri().getPort();
    }


    @Override
    public void close() {
        subscriber.close();
        redis.close();
    }
}
