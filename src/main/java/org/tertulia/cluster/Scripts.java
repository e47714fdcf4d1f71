package org.tertulia.cluster;

import java.util.List;

import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts behind every change to the shared room. Each runs atomically in Redis,
 * so a name claim, a roster change and the event announcing it happen in one step, and
 * exactly one node wins a race (for a name, or to reap a dead node).
 */
final class Scripts {

    /** Marks a reply that is not a name (names never hold control characters). */
    static final String REFUSED = "\u0001";
    static final String TAKEN = REFUSED + "taken";
    static final String SETTLING = REFUSED + "settling";

    private Scripts() {
    }

    /**
     * KEYS names, holders, hosted:N, epoch, settling. ARGV id, reassert (1/0), settle ms, then
     * (name, folded name) candidates in order. Gives id the first candidate that is free or already
     * its own, releasing any other name it held. A Redis that lost its state (no epoch) first
     * starts the settling window; while it lasts only re-assertions may claim.
     */
    static final RedisScript<String> CLAIM = new DefaultRedisScript<>("""
            if redis.call('EXISTS', KEYS[4]) == 0 then
              redis.call('SET', KEYS[4], '1')
              redis.call('SET', KEYS[5], '1', 'PX', ARGV[3])
            end
            if ARGV[2] == '0' and redis.call('EXISTS', KEYS[5]) == 1 then
              return '\\1settling'
            end
            local id = ARGV[1]
            for i = 4, #ARGV, 2 do
              local name, key = ARGV[i], ARGV[i + 1]
              local holder = redis.call('HGET', KEYS[1], key)
              if (not holder) or holder == id then
                local old = redis.call('HGET', KEYS[2], id)
                if old and old ~= key and redis.call('HGET', KEYS[1], old) == id then
                  redis.call('HDEL', KEYS[1], old)
                end
                redis.call('HSET', KEYS[1], key, id)
                redis.call('HSET', KEYS[2], id, key)
                redis.call('SADD', KEYS[3], id)
                return name
              end
            end
            return '\\1taken'
            """, String.class);

    /** KEYS names, holders, hosted:N. ARGV id. Releases whatever name id holds. */
    static final RedisScript<Long> RELEASE = new DefaultRedisScript<>("""
            local key = redis.call('HGET', KEYS[2], ARGV[1])
            if key then
              if redis.call('HGET', KEYS[1], key) == ARGV[1] then
                redis.call('HDEL', KEYS[1], key)
              end
              redis.call('HDEL', KEYS[2], ARGV[1])
            end
            redis.call('SREM', KEYS[3], ARGV[1])
            return 1
            """, Long.class);

    /**
     * KEYS events, roster, history, holders. ARGV kind, id, encoded event, stream length,
     * history size, name, folded name, order. Updates the roster or history as the kind says and
     * appends the event; returns its stream id, or nil when the event is moot and was not appended.
     * A roster entry is "order:name", the order being the stream id of the user's first Joined,
     * so sign-in order survives renames and a Redis restart (a re-assertion passes the old order).
     * Kinds: U joined/renamed (dropped if id no longer holds a name: it left meanwhile);
     * A re-assertion (appended only if the roster lacks or misnames id); L left; G left of a
     * ghost (appended only if the roster lacks id); H room message (kept in history); P other.
     */
    static final RedisScript<String> PUBLISH = new DefaultRedisScript<>("""
            local kind, id = ARGV[1], ARGV[2]
            if kind == 'U' or kind == 'A' then
              local held = redis.call('HGET', KEYS[4], id)
              if (not held) or (kind == 'A' and held ~= ARGV[7]) then
                return false
              end
              local entry = redis.call('HGET', KEYS[2], id)
              local order
              if entry then
                order = string.match(entry, '^([^:]+):')
                if kind == 'A' and entry == order .. ':' .. ARGV[6] then
                  return false
                end
              end
              local appended = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[3])
              if not order then
                if kind == 'A' and ARGV[8] ~= '' then order = ARGV[8] else order = appended end
              end
              redis.call('HSET', KEYS[2], id, order .. ':' .. ARGV[6])
              return appended
            elseif kind == 'L' then
              redis.call('HDEL', KEYS[2], id)
            elseif kind == 'G' then
              if redis.call('HEXISTS', KEYS[2], id) == 1 then
                return false
              end
            elseif kind == 'H' then
              local cap = tonumber(ARGV[5])
              if cap > 0 then
                redis.call('LPUSH', KEYS[3], ARGV[3])
                redis.call('LTRIM', KEYS[3], 0, cap - 1)
              end
            end
            return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[3])
            """, String.class);

    /**
     * KEYS events, roster, history. The state a starting node needs, taken in one step: the last
     * stream id (reading resumes after it), then the roster size, the roster as id/entry pairs,
     * and the history, newest first.
     */
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> SNAPSHOT = new DefaultRedisScript<>("""
            local out = {}
            local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
            if #last > 0 then out[1] = last[1][1] else out[1] = '0-0' end
            local roster = redis.call('HGETALL', KEYS[2])
            out[2] = tostring(#roster / 2)
            for i = 1, #roster do out[#out + 1] = roster[i] end
            local history = redis.call('LRANGE', KEYS[3], 0, -1)
            for i = 1, #history do out[#out + 1] = history[i] end
            return out
            """, List.class);

    /**
     * KEYS node:N, nodes, epoch, settling. ARGV node id, ttl ms, mode, settle ms.
     * Mode beat: refreshes the heartbeat if it still exists; 0 means it was lost (reaped, or
     * Redis lost its data) and the node must repair. Mode fresh or repair: (re)registers; a
     * repair that finds the epoch gone starts the settling window.
     */
    static final RedisScript<Long> HEARTBEAT = new DefaultRedisScript<>("""
            if ARGV[3] == 'beat' then
              if redis.call('SET', KEYS[1], '1', 'PX', ARGV[2], 'XX') then
                return 1
              end
              return 0
            end
            redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[1])
            if redis.call('SET', KEYS[3], '1', 'NX') and ARGV[3] == 'repair' then
              redis.call('SET', KEYS[4], '1', 'PX', ARGV[4])
            end
            return 1
            """, Long.class);

    /**
     * KEYS nodes. ARGV key prefix, stream length. Every registered node whose heartbeat has
     * expired is removed, its names released and a Left appended for each of its users still
     * on the roster. Atomic, so of several nodes reaping at once exactly one does each node.
     */
    static final RedisScript<Long> REAP = new DefaultRedisScript<>("""
            local p = ARGV[1]
            local reaped = 0
            for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if redis.call('EXISTS', p .. 'node:' .. node) == 0 then
                redis.call('SREM', KEYS[1], node)
                local hosted = p .. 'hosted:' .. node
                for _, id in ipairs(redis.call('SMEMBERS', hosted)) do
                  local key = redis.call('HGET', p .. 'holders', id)
                  if key then
                    if redis.call('HGET', p .. 'names', key) == id then
                      redis.call('HDEL', p .. 'names', key)
                    end
                    redis.call('HDEL', p .. 'holders', id)
                  end
                  if redis.call('HDEL', p .. 'roster', id) == 1 then
                    redis.call('XADD', p .. 'events', 'MAXLEN', '~', ARGV[2], '*', 'e', '{"t":"L","i":' .. id .. '}')
                  end
                end
                redis.call('DEL', hosted)
                reaped = reaped + 1
              end
            end
            return reaped
            """, Long.class);

    /** KEYS ids. ARGV floor. The next connection id, above floor (the highest id this node has seen). */
    static final RedisScript<Long> NEXT_ID = new DefaultRedisScript<>("""
            local id = redis.call('INCR', KEYS[1])
            local floor = tonumber(ARGV[1])
            if id <= floor then
              id = floor + 1
              redis.call('SET', KEYS[1], id)
            end
            return id
            """, Long.class);

    /** KEYS ids. ARGV floor. Raises the id counter to at least floor. */
    static final RedisScript<Long> RAISE_IDS = new DefaultRedisScript<>("""
            local floor = tonumber(ARGV[1])
            if (tonumber(redis.call('GET', KEYS[1])) or 0) < floor then
              redis.call('SET', KEYS[1], floor)
            end
            return 1
            """, Long.class);
}
