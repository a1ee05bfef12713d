package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.error.NotFoundException;
import dev.pixelsense.openai.OpenAiJson;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Redis engine. A job is a hash {@code PREFIX job:ID} (expiring a result TTL after it ends);
 * a delivery is an entry of the stream {@code PREFIX stream}, read by the consumer group
 * {@code workers} with XREADGROUP and acknowledged (and deleted) when the attempt ends. A worker
 * that dies leaves its entry pending; the heartbeat keeps a live worker's entry fresh (XCLAIM to
 * itself), so XAUTOCLAIM with a min-idle of one lease hands only dead workers' entries to others.
 * Retries wait in the sorted set {@code PREFIX delayed}; the dead letter is the stream
 * {@code PREFIX dead}. Idempotency keys are {@code SET NX} with the result TTL. Progress, state
 * changes and cancellations go over pub/sub ({@code PREFIX events}, {@code PREFIX cancel}), read by
 * one subscriber connection whose thread calls listeners in order.
 *
 * <p>Priorities are stored but not yet honoured (one stream).
 */
final class RedisJobs implements Broker {
    static final String GROUP = "workers";

    private final JobSettings settings;
    private final RedisConnections redis;
    private final String prefix;
    private final String stream;
    private final RedisSubscriber subscriber;
    private final JobListeners listeners = new JobListeners();
    private volatile long lastPromote;

    RedisJobs(URI uri, JobSettings settings) {
        this.settings = settings;
        this.redis = new RedisConnections(uri);
        this.prefix = settings.prefix();
        this.stream = prefix + "stream";
        try {
            redis.call("XGROUP", "CREATE", stream, GROUP, "0", "MKSTREAM");
        } catch (RespConnection.RedisError e) {
            if (!e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
        this.subscriber = new RedisSubscriber(redis, List.of(prefix + "events", prefix + "cancel"), this::message);
    }

    private String key(String id) {
        return prefix + "job:" + id;
    }

    private Object eval(String script, List<String> keys, Object... args) {
        Object[] command = new Object[3 + keys.size() + args.length];
        command[0] = "EVAL";
        command[1] = script;
        command[2] = keys.size();
        for (int i = 0; i < keys.size(); i++) {
            command[3 + i] = keys.get(i);
        }
        System.arraycopy(args, 0, command, 3 + keys.size(), args.length);
        return redis.callRetrying(command);
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
        List<Object> fields = new ArrayList<>(List.of(prefix, id, now, "type", request.type(), "input",
                request.input().toString(), "priority", request.priority(), "state", "queued", "attempts", 0,
                "progress", 0, "created", now));
        if (request.model() != null) {
            fields.addAll(List.of("model", request.model()));
        }
        eval(RedisScripts.SUBMIT, List.of(key(id), stream), fields.toArray());
        return get(id);
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
                sleep(20);
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

    @SuppressWarnings("unchecked")
    private Job read(String id) {
        List<Object> flat = (List<Object>) redis.callRetrying("HGETALL", key(id));
        if (flat == null || flat.isEmpty()) {
            return null;
        }
        Map<String, String> h = new java.util.HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            h.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        String message = h.get("message");
        return new Job(id, h.get("type"), JobState.parse(h.get("state")), Double.parseDouble(h.getOrDefault("progress",
                "0")), message == null || message.isEmpty() ? null : message, json(h.get("input")), h.get("model"),
                Integer.parseInt(h.getOrDefault("priority", "0")), json(h.get("result")), h.get("error"),
                Integer.parseInt(h.getOrDefault("attempts", "0")), h.get("worker"), instant(h.get("created")),
                instant(h.get("started")), instant(h.get("finished")));
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? null : OpenAiJson.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a job in Redis holds invalid JSON: " + e.getMessage(), e);
        }
    }

    private static Instant instant(String millis) {
        return millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
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
        long outcome = (Long) eval(RedisScripts.CANCEL, List.of(key(id), prefix + "delayed"), prefix, id,
                System.currentTimeMillis(), settings.resultTtl().toSeconds());
        if (outcome == 2) {
            redis.callRetrying("PUBLISH", prefix + "cancel", id);
        }
        if (outcome != 0) {
            publish(JobEvent.state(id, JobState.CANCELLED));
        }
        return get(id);
    }

    private void publish(JobEvent event) {
        ObjectNode node = OpenAiJson.MAPPER.createObjectNode().put("id", event.id()).put("kind", event.kind())
                .put("state", event.state().name()).put("progress", event.progress()).put("message", event.message());
        redis.callRetrying("PUBLISH", prefix + "events", node.toString());
    }

    private void message(String channel, String payload) {
        if (channel.endsWith("cancel")) {
            listeners.cancelled(payload);
            return;
        }
        JsonNode n = json(payload);
        if (listeners.hasSubscribers(n.path("id").asText())) {
            JobEvent event = new JobEvent(n.path("id").asText(), n.path("kind").asText(),
                    JobState.parse(n.path("state").asText()), n.path("progress").asDouble(),
                    n.path("message").isNull() ? null : n.path("message").asText());
            listeners.emit(event);
        }
    }

    @Override
    public Subscription subscribe(String id, Consumer<JobEvent> listener) {
        return listeners.subscribe(id, listener);
    }

    @Override
    public Subscription onCancel(Consumer<String> listener) {
        return listeners.onCancel(listener);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Delivery take(String consumer, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long now = System.currentTimeMillis();
            if (now - lastPromote >= 50) {
                lastPromote = now;
                eval(RedisScripts.PROMOTE, List.of(prefix + "delayed", stream), now);
            }
            // a dead worker's entry first: idle longer than a lease means nobody renews it
            List<Object> claimed = (List<Object>) redis.callRetrying("XAUTOCLAIM", stream, GROUP, consumer,
                    settings.lease().toMillis(), "0-0", "COUNT", 1);
            Delivery d = first((List<Object>) claimed.get(1));
            if (d != null) {
                return d;
            }
            // blocks at most half a lease, so reclaims and due retries are looked at that often
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            long block = Math.max(1, Math.min(left, Math.min(settings.lease().toMillis() / 2, 1000)));
            List<Object> read = (List<Object>) redis.with(c -> c.call("XREADGROUP", "GROUP", GROUP, consumer,
                    "COUNT", 1, "BLOCK", block, "STREAMS", stream, ">"));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            d = read == null ? null : first((List<Object>) ((List<Object>) read.get(0)).get(1));
            if (d != null || System.nanoTime() - deadline >= 0) {
                return d;
            }
        }
    }

    /** The first entry of an XREADGROUP/XAUTOCLAIM list: [id, [field, value, ...]] (null when deleted). */
    @SuppressWarnings("unchecked")
    private static Delivery first(List<Object> entries) {
        for (Object e : entries) {
            if (e instanceof List<?> entry && entry.get(1) instanceof List<?> fields && fields.size() >= 2) {
                return new Delivery((String) fields.get(1), (String) entry.get(0));
            }
        }
        return null;
    }

    @Override
    public Job start(Delivery delivery, String consumer) {
        Object attempt = eval(RedisScripts.START, List.of(key(delivery.id())), prefix, delivery.id(), consumer,
                System.currentTimeMillis());
        if (attempt == null) {
            return null;
        }
        publish(JobEvent.state(delivery.id(), JobState.RUNNING));
        return read(delivery.id());
    }

    @Override
    public boolean renew(Delivery delivery, String consumer) {
        return (Long) eval(RedisScripts.RENEW, List.of(stream), GROUP, consumer, delivery.handle()) == 1;
    }

    @Override
    public void progress(String id, double fraction, String message) {
        if ((Long) eval(RedisScripts.PROGRESS, List.of(key(id)), fraction, message == null ? "" : message) == 1) {
            publish(JobEvent.progress(id, fraction, message));
        }
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
        boolean won = (Long) eval(RedisScripts.FINISH, List.of(key(d.id()), stream, prefix + "dead"), prefix, d.id(),
                GROUP, d.handle(), state.name(), field, value, System.currentTimeMillis(),
                settings.resultTtl().toSeconds(), deadLetter ? "1" : "0") == 1;
        if (won) {
            publish(JobEvent.state(d.id(), state));
        }
        return won;
    }

    @Override
    public boolean retry(Delivery d, String error, Duration delay) {
        boolean queued = (Long) eval(RedisScripts.RETRY, List.of(key(d.id()), stream, prefix + "delayed"), prefix,
                d.id(), GROUP, d.handle(), error, System.currentTimeMillis() + delay.toMillis()) == 1;
        if (queued) {
            publish(JobEvent.state(d.id(), JobState.QUEUED));
        }
        return queued;
    }

    @Override
    public void ack(Delivery d) {
        redis.callRetrying("XACK", stream, GROUP, d.handle());
        redis.callRetrying("XDEL", stream, d.handle());
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        subscriber.close();
        redis.close();
    }
}
