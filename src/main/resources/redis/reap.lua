-- Removes every registered node whose heartbeat has expired: its names released, and a left
-- event appended for each of its users still on the roster. Atomic, so of several nodes reaping
-- at once exactly one does each dead node. Returns how many nodes were reaped.
-- KEYS: nodes
-- ARGV: key prefix, stream length
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
