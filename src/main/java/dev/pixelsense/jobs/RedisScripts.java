package dev.pixelsense.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts that make each job transition atomic in Redis, sent as EVALSHA (EVAL once when
 * Redis does not know a script yet). Every script that ends an attempt first checks the job is not
 * terminal, so a second finisher (a reclaimed job finishing twice, a cancel racing a success)
 * changes nothing and learns it lost. A transition publishes its event from inside the script, so a
 * job costs one round trip per step. Events go to the job's own channel {@code PREFIX events:ID}, so
 * only a process following that job receives them (a PUBLISH nobody listens to costs next to nothing).
 * State indexes are sorted sets {@code PREFIX state:NAME} scored
 * by creation time, for newest-first listing. Keys are built from the prefix inside the scripts:
 * fine for one Redis server, not for Redis Cluster.
 */
final class RedisScripts {
    private RedisScripts() {
    }

    /** A script and its SHA-1, the name EVALSHA knows it by. */
    record Script(String text, String sha) {
        static Script of(String text) {
            try {
                byte[] sha = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
                return new Script(text, HexFormat.of().formatHex(sha));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is part of every JDK", e);
            }
        }
    }

    private static final String TERMINAL = "local function terminal(s) return s == 'succeeded' or s == 'failed' "
            + "or s == 'cancelled' end\n";

    private static final String MOVE = "local function move(p, id, from, to, job)\n"
            + "  redis.call('ZREM', p .. 'state:' .. from, id)\n"
            + "  redis.call('ZADD', p .. 'state:' .. to, redis.call('HGET', job, 'created'), id)\n"
            + "  redis.call('HSET', job, 'state', to)\n"
            + "end\n";

    /** Queues the job's webhook delivery when it has one (KEYS[1] is the job, p the prefix). */
    private static final String WEBHOOK = "local function webhook(p, id, job, now)\n"
            + "  if redis.call('HEXISTS', job, 'webhook') == 1 then\n"
            + "    redis.call('ZADD', p .. 'webhooks', now, id)\n"
            + "  end\n"
            + "end\n";

    /**
     * KEYS: job, stream. ARGV: prefix, id, created millis, then the hash's field/value pairs.
     * The job's lane (stream) is stored with it: retries go back to the same one.
     */
    static final Script SUBMIT = Script.of(""
            + "redis.call('HSET', KEYS[1], 'lane', KEYS[2], unpack(ARGV, 4))\n"
            + "redis.call('ZADD', ARGV[1] .. 'state:queued', ARGV[3], ARGV[2])\n"
            + "redis.call('XADD', KEYS[2], '*', 'id', ARGV[2])\n"
            + "return 1");

    /**
     * Queues many jobs in one call (submitAll). KEYS: none. ARGV: prefix, created millis, then per
     * job: id, stream, number of hash values n, and n values (field/value pairs).
     */
    static final Script SUBMIT_MANY = Script.of(""
            + "local p, created, i = ARGV[1], ARGV[2], 3\n"
            + "while i <= #ARGV do\n"
            + "  local id, lane, n = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])\n"
            + "  redis.call('HSET', p .. 'job:' .. id, 'lane', lane, unpack(ARGV, i + 3, i + 2 + n))\n"
            + "  redis.call('ZADD', p .. 'state:queued', created, id)\n"
            + "  redis.call('XADD', lane, '*', 'id', id)\n"
            + "  i = i + 3 + n\n"
            + "end\n"
            + "return 1");

    /**
     * Takes and starts up to COUNT jobs for a consumer, in one step. KEYS: the consumer's streams,
     * high band first. ARGV: prefix, group, consumer, now, min idle millis, reclaim flag, count. With
     * the flag set it first moves due retries into their streams, then claims one entry idle longer
     * than a lease (a dead worker's) and returns it alone. Entries of jobs already terminal (cancelled
     * while queued) are acknowledged and skipped; empty streams are skipped by XLEN, which is cheaper
     * than a read. Returns a list of {stream, entry, id, job hash as a flat list}, possibly empty.
     */
    static final Script TAKE = Script.of(TERMINAL + MOVE + ""
            + "local p, group, consumer, now, count = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[7])\n"
            + "local function start(stream, entry)\n"
            + "  local id = entry[2][2]\n"
            + "  local job = p .. 'job:' .. id\n"
            + "  local s = redis.call('HGET', job, 'state')\n"
            + "  if not s or terminal(s) then\n"
            + "    redis.call('XACK', stream, group, entry[1])\n"
            + "    redis.call('XDEL', stream, entry[1])\n"
            + "    return nil\n"
            + "  end\n"
            + "  move(p, id, s, 'running', job)\n"
            + "  redis.call('HSET', job, 'worker', consumer, 'started', now, 'progress', '0', 'message', '')\n"
            + "  redis.call('HINCRBY', job, 'attempts', 1)\n"
            + "  redis.call('PUBLISH', p .. 'events:' .. id, cjson.encode({id = id, kind = 'state', state = 'running', "
            + "progress = 0}))\n"
            + "  return {stream, entry[1], id, redis.call('HGETALL', job)}\n"
            + "end\n"
            + "if ARGV[6] == '1' then\n"
            + "  local due = redis.call('ZRANGEBYSCORE', p .. 'delayed', '-inf', now, 'LIMIT', 0, 100)\n"
            + "  for _, id in ipairs(due) do\n"
            + "    redis.call('ZREM', p .. 'delayed', id)\n"
            + "    local lane = redis.call('HGET', p .. 'job:' .. id, 'lane')\n"
            + "    if lane then redis.call('XADD', lane, '*', 'id', id) end\n"
            + "  end\n"
            + "  for _, k in ipairs(KEYS) do\n"
            + "    local r = redis.call('XAUTOCLAIM', k, group, consumer, ARGV[5], '0-0', 'COUNT', 10)\n"
            + "    for _, e in ipairs(r[2]) do\n"
            + "      local out = start(k, e)\n"
            + "      if out then return {out} end\n"
            + "    end\n"
            + "  end\n"
            + "end\n"
            + "local taken = {}\n"
            + "for _, k in ipairs(KEYS) do\n"
            + "  for _ = 1, 100 do\n"
            + "    if #taken >= count or redis.call('XLEN', k) == 0 then break end\n"
            + "    local r = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', 1, 'STREAMS', k, '>')\n"
            + "    if not r then break end\n"
            + "    local out = start(k, r[1][2][1])\n"
            + "    if out then taken[#taken + 1] = out end\n"
            + "  end\n"
            + "end\n"
            + "return taken");

    /**
     * Starts an entry read by a blocking XREADGROUP. KEYS: job, stream. ARGV: prefix, id, consumer,
     * now, group, entry. Same as TAKE's start; false (after acking) when the job is terminal.
     */
    static final Script START = Script.of(TERMINAL + MOVE
            + "local s = redis.call('HGET', KEYS[1], 'state')\n"
            + "if not s or terminal(s) then\n"
            + "  redis.call('XACK', KEYS[2], ARGV[5], ARGV[6])\n"
            + "  redis.call('XDEL', KEYS[2], ARGV[6])\n"
            + "  return false\n"
            + "end\n"
            + "move(ARGV[1], ARGV[2], s, 'running', KEYS[1])\n"
            + "redis.call('HSET', KEYS[1], 'worker', ARGV[3], 'started', ARGV[4], 'progress', '0', 'message', '')\n"
            + "redis.call('HINCRBY', KEYS[1], 'attempts', 1)\n"
            + "redis.call('PUBLISH', ARGV[1] .. 'events:' .. ARGV[2], cjson.encode({id = ARGV[2], kind = 'state', "
            + "state = 'running', progress = 0}))\n"
            + "return redis.call('HGETALL', KEYS[1])");

    /** KEYS: stream. ARGV: group, consumer, entry. 1 when still ours (and the idle time reset), else 0. */
    static final Script RENEW = Script.of(""
            + "local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)\n"
            + "if #p == 0 or p[1][2] ~= ARGV[2] then return 0 end\n"
            + "redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')\n"
            + "return 1");

    /**
     * Ends many jobs for good in one call (one or a group commit of several): acks each entry, and ends each job unless it is already terminal. ARGV: prefix, group, now,
     * ttl seconds, then per job: id, stream, entry, state, field, value, dead-letter flag, event.
     * Returns one 1 or 0 per job, as FINISH would.
     */
    static final Script FINISH_MANY = Script.of(TERMINAL + MOVE + WEBHOOK
            + "local p, group, now, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4]\n"
            + "local won = {}\n"
            + "for i = 5, #ARGV, 8 do\n"
            + "  local id, stream, entry, state = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]\n"
            + "  local job = p .. 'job:' .. id\n"
            + "  redis.call('XACK', stream, group, entry)\n"
            + "  redis.call('XDEL', stream, entry)\n"
            + "  local s = redis.call('HGET', job, 'state')\n"
            + "  if not s or terminal(s) then\n"
            + "    won[#won + 1] = 0\n"
            + "  else\n"
            + "    move(p, id, s, state, job)\n"
            + "    redis.call('HSET', job, ARGV[i + 4], ARGV[i + 5], 'finished', now)\n"
            + "    if state == 'succeeded' then redis.call('HSET', job, 'progress', '1') end\n"
            + "    redis.call('EXPIRE', job, ttl)\n"
            + "    if ARGV[i + 6] == '1' then redis.call('XADD', p .. 'dead', '*', 'id', id, 'error', ARGV[i + 5]) end\n"
            + "    webhook(p, id, job, now)\n"
            + "    redis.call('PUBLISH', p .. 'events:' .. id, ARGV[i + 7])\n"
            + "    won[#won + 1] = 1\n"
            + "  end\n"
            + "end\n"
            + "return won");

    /** KEYS: job, stream, delayed. ARGV: prefix, id, group, entry, error, due millis, event. */
    static final Script RETRY = Script.of(TERMINAL + MOVE
            + "redis.call('XACK', KEYS[2], ARGV[3], ARGV[4])\n"
            + "redis.call('XDEL', KEYS[2], ARGV[4])\n"
            + "local s = redis.call('HGET', KEYS[1], 'state')\n"
            + "if not s or terminal(s) then return 0 end\n"
            + "move(ARGV[1], ARGV[2], s, 'queued', KEYS[1])\n"
            + "redis.call('HSET', KEYS[1], 'error', ARGV[5])\n"
            + "redis.call('ZADD', KEYS[3], ARGV[6], ARGV[2])\n"
            + "redis.call('PUBLISH', ARGV[1] .. 'events:' .. ARGV[2], ARGV[7])\n"
            + "return 1");

    /**
     * KEYS: job, delayed. ARGV: prefix, id, now, ttl seconds, event. 0 terminal, 1 was queued, 2 was
     * running (then the cancel is published for its worker to interrupt it).
     */
    static final Script CANCEL = Script.of(TERMINAL + MOVE + WEBHOOK
            + "local s = redis.call('HGET', KEYS[1], 'state')\n"
            + "if not s or terminal(s) then return 0 end\n"
            + "move(ARGV[1], ARGV[2], s, 'cancelled', KEYS[1])\n"
            + "redis.call('HSET', KEYS[1], 'finished', ARGV[3])\n"
            + "redis.call('EXPIRE', KEYS[1], ARGV[4])\n"
            + "redis.call('ZREM', KEYS[2], ARGV[2])\n"
            + "webhook(ARGV[1], ARGV[2], KEYS[1], ARGV[3])\n"
            + "if s == 'running' then redis.call('PUBLISH', ARGV[1] .. 'cancel', ARGV[2]) end\n"
            + "redis.call('PUBLISH', ARGV[1] .. 'events:' .. ARGV[2], ARGV[5])\n"
            + "if s == 'running' then return 2 end\n"
            + "return 1");

    /**
     * KEYS: job. ARGV: progress, message, events channel, event. Only while running, so an expired
     * hash is never recreated.
     */
    static final Script PROGRESS = Script.of(""
            + "if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end\n"
            + "redis.call('HSET', KEYS[1], 'progress', ARGV[1], 'message', ARGV[2])\n"
            + "redis.call('PUBLISH', ARGV[3], ARGV[4])\n"
            + "return 1");

    /**
     * Claims a due webhook delivery. KEYS: webhooks. ARGV: now, claim millis. Pushes its due time one
     * claim ahead (so a dispatcher that dies lets another retry it) and returns the job id, or false.
     */
    static final Script CLAIM_WEBHOOK = Script.of(""
            + "local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)\n"
            + "if #due == 0 then return false end\n"
            + "redis.call('ZADD', KEYS[1], ARGV[1] + ARGV[2], due[1])\n"
            + "return due[1]");
}
