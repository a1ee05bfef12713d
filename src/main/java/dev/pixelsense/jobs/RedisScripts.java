package dev.pixelsense.jobs;

/**
 * The Lua scripts that make each job transition atomic in Redis. Every script that ends an attempt
 * first checks the job is not terminal, so a second finisher (a reclaimed job finishing twice, a
 * cancel racing a success) changes nothing and learns it lost. State indexes are sorted sets
 * {@code PREFIX state:NAME} scored by creation time, for newest-first listing.
 * Keys are built from the prefix inside the scripts: fine for one Redis server, not for Redis Cluster.
 */
final class RedisScripts {
    private RedisScripts() {
    }

    private static final String TERMINAL = "local function terminal(s) return s == 'succeeded' or s == 'failed' "
            + "or s == 'cancelled' end\n";

    private static final String MOVE = "local function move(p, id, from, to, job)\n"
            + "  redis.call('ZREM', p .. 'state:' .. from, id)\n"
            + "  redis.call('ZADD', p .. 'state:' .. to, redis.call('HGET', job, 'created'), id)\n"
            + "  redis.call('HSET', job, 'state', to)\n"
            + "end\n";

    /** KEYS: job, stream. ARGV: prefix, id, created millis, then the hash's field/value pairs. */
    static final String SUBMIT = ""
            + "redis.call('HSET', KEYS[1], unpack(ARGV, 4))\n"
            + "redis.call('ZADD', ARGV[1] .. 'state:queued', ARGV[3], ARGV[2])\n"
            + "redis.call('XADD', KEYS[2], '*', 'id', ARGV[2])\n"
            + "return 1";

    /** KEYS: job. ARGV: prefix, id, consumer, now. Returns the attempt number, or false when terminal. */
    static final String START = TERMINAL + MOVE
            + "local s = redis.call('HGET', KEYS[1], 'state')\n"
            + "if not s or terminal(s) then return false end\n"
            + "move(ARGV[1], ARGV[2], s, 'running', KEYS[1])\n"
            + "redis.call('HSET', KEYS[1], 'worker', ARGV[3], 'started', ARGV[4], 'progress', '0', 'message', '')\n"
            + "return redis.call('HINCRBY', KEYS[1], 'attempts', 1)";

    /** KEYS: stream. ARGV: group, consumer, entry. 1 when still ours (and the idle time reset), else 0. */
    static final String RENEW = ""
            + "local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)\n"
            + "if #p == 0 or p[1][2] ~= ARGV[2] then return 0 end\n"
            + "redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')\n"
            + "return 1";

    /**
     * Ends a job for good. KEYS: job, stream, dead. ARGV: prefix, id, group, entry, state, field,
     * value, now, ttl seconds, dead-letter flag. Always acks the entry; 1 when this call ended the job.
     */
    static final String FINISH = TERMINAL + MOVE
            + "redis.call('XACK', KEYS[2], ARGV[3], ARGV[4])\n"
            + "redis.call('XDEL', KEYS[2], ARGV[4])\n"
            + "local s = redis.call('HGET', KEYS[1], 'state')\n"
            + "if not s or terminal(s) then return 0 end\n"
            + "move(ARGV[1], ARGV[2], s, ARGV[5], KEYS[1])\n"
            + "redis.call('HSET', KEYS[1], ARGV[6], ARGV[7], 'finished', ARGV[8])\n"
            + "if ARGV[5] == 'succeeded' then redis.call('HSET', KEYS[1], 'progress', '1') end\n"
            + "redis.call('EXPIRE', KEYS[1], ARGV[9])\n"
            + "if ARGV[10] == '1' then redis.call('XADD', KEYS[3], '*', 'id', ARGV[2], 'error', ARGV[7]) end\n"
            + "return 1";

    /** KEYS: job, stream, delayed. ARGV: prefix, id, group, entry, error, due millis. */
    static final String RETRY = TERMINAL + MOVE
            + "redis.call('XACK', KEYS[2], ARGV[3], ARGV[4])\n"
            + "redis.call('XDEL', KEYS[2], ARGV[4])\n"
            + "local s = redis.call('HGET', KEYS[1], 'state')\n"
            + "if not s or terminal(s) then return 0 end\n"
            + "move(ARGV[1], ARGV[2], s, 'queued', KEYS[1])\n"
            + "redis.call('HSET', KEYS[1], 'error', ARGV[5])\n"
            + "redis.call('ZADD', KEYS[3], ARGV[6], ARGV[2])\n"
            + "return 1";

    /** KEYS: delayed, stream. ARGV: now millis. Moves due retries into the stream. */
    static final String PROMOTE = ""
            + "local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)\n"
            + "for _, id in ipairs(ids) do\n"
            + "  redis.call('ZREM', KEYS[1], id)\n"
            + "  redis.call('XADD', KEYS[2], '*', 'id', id)\n"
            + "end\n"
            + "return #ids";

    /** KEYS: job, delayed. ARGV: prefix, id, now, ttl seconds. 0 terminal, 1 was queued, 2 was running. */
    static final String CANCEL = TERMINAL + MOVE
            + "local s = redis.call('HGET', KEYS[1], 'state')\n"
            + "if not s or terminal(s) then return 0 end\n"
            + "move(ARGV[1], ARGV[2], s, 'cancelled', KEYS[1])\n"
            + "redis.call('HSET', KEYS[1], 'finished', ARGV[3])\n"
            + "redis.call('EXPIRE', KEYS[1], ARGV[4])\n"
            + "redis.call('ZREM', KEYS[2], ARGV[2])\n"
            + "if s == 'running' then return 2 end\n"
            + "return 1";

    /** KEYS: job. ARGV: progress, message. Only while running, so an expired hash is never recreated. */
    static final String PROGRESS = ""
            + "if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end\n"
            + "redis.call('HSET', KEYS[1], 'progress', ARGV[1], 'message', ARGV[2])\n"
            + "return 1";
}
