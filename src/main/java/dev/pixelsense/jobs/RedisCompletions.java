package dev.pixelsense.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ends attempts on Redis by group commit: a finishing thread queues its outcome and then, holding
 * the lock, sends every outcome queued so far in one FINISH_MANY call; threads that queued while a
 * call was in flight find theirs done when they get the lock. One thread alone pays one call per job
 * as before; many finishing at once share calls (fewer script calls per job is what bounds Redis).
 */
final class RedisCompletions {
    static final int MAX_BATCH = 64;

    private final RedisConnections redis;
    private final JobSettings settings;
    private final ConcurrentLinkedQueue<Outcome> queued = new ConcurrentLinkedQueue<>();
    private final ReentrantLock commit = new ReentrantLock();

    RedisCompletions(RedisConnections redis, JobSettings settings) {
        this.redis = redis;
        this.settings = settings;
    }

    /** One attempt's end: the job's new terminal state and the field (result or error) to store. */
    private static final class Outcome {
        final Broker.Delivery delivery;
        final JobState state;
        final String field;
        final String value;
        final boolean deadLetter;
        Boolean won;
        RuntimeException failure;

        Outcome(Broker.Delivery delivery, JobState state, String field, String value, boolean deadLetter) {
            this.delivery = delivery;
            this.state = state;
            this.field = field;
            this.value = value;
            this.deadLetter = deadLetter;
        }
    }

    /** Ends the job unless it is terminal already (true when this call ended it); always acks. */
    boolean finish(Broker.Delivery d, JobState state, String field, String value, boolean deadLetter) {
        Outcome mine = new Outcome(d, state, field, value, deadLetter);
        queued.add(mine);
        commit.lock();
        try {
            while (mine.won == null && mine.failure == null) {
                flush();
            }
        } finally {
            commit.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.won;
    }

    /** Under the lock: one call for up to {@value #MAX_BATCH} queued outcomes. */
    private void flush() {
        List<Outcome> batch = new ArrayList<>();
        for (Outcome o = queued.poll(); o != null; o = batch.size() < MAX_BATCH ? queued.poll() : null) {
            batch.add(o);
        }
        List<Object> args = new ArrayList<>(List.of(settings.prefix(), RedisLanes.GROUP, System.currentTimeMillis(),
                settings.resultTtl().toSeconds()));
        for (Outcome o : batch) {
            String id = o.delivery.id();
            args.addAll(List.of(id, o.delivery.lane(), o.delivery.handle(), o.state.name(), o.field, o.value,
                    o.deadLetter ? "1" : "0", RedisJobCodec.event(JobEvent.state(id, o.state))));
        }
        try {
            List<?> won = (List<?>) redis.eval(RedisScripts.FINISH_MANY, List.of(), args.toArray());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).won = (Long) won.get(i) == 1;
            }
        } catch (RuntimeException e) {
            batch.forEach(o -> o.failure = e);
        }
    }
}
