-- Removes every registered node whose heartbeat has expired. Its users' sessions stay
-- resumable for the grace (a client that comes back through another node keeps its name) and
-- a left event is appended for each of them still on the roster, at the next position of the
-- order, and published (see append.lua). Atomic, so of several nodes reaping at once exactly one does each
-- dead node. Returns how many nodes were reaped.
-- KEYS: nodes, lapsing, position
-- ARGV: key prefix, stream length, grace ms
local p = ARGV[1]
local t = redis.call('TIME')
local micros = tonumber(t[1]) * 1000000 + tonumber(t[2])
local millis = math.floor(micros / 1000)
local reaped = 0
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', p .. 'node:' .. node) == 0 then
    redis.call('SREM', KEYS[1], node)
    local hosted = p .. 'hosted:' .. node
    for _, id in ipairs(redis.call('SMEMBERS', hosted)) do
      local session = p .. 'session:' .. id
      if redis.call('EXISTS', session) == 1 then
        redis.call('HSET', session, 'node', '')
        redis.call('ZADD', KEYS[2], millis + tonumber(ARGV[3]), id)
      end
      local entry = redis.call('HGET', p .. 'roster', id)
      if entry then
        redis.call('HDEL', p .. 'roster', id)
        local connection = string.match(entry, '^[^:]*:([^:]*):')
        local previous = redis.call('GET', KEYS[3]) or '0'
        local position = math.max((tonumber(previous) or 0) + 1, micros)
        position = string.format('%d', position)
        redis.call('SET', KEYS[3], position)
        local left = '{"t":"L","i":' .. id .. ',"c":' .. connection .. ',"d":' .. millis .. '}'
        redis.call('XADD', p .. 'events', 'MAXLEN', '~', ARGV[2], position .. '-0', 'e', left)
        redis.call('PUBLISH', p .. 'pushed', previous .. ' ' .. position .. ' ' .. left)
      end
    end
    redis.call('DEL', hosted)
    reaped = reaped + 1
  end
end
return reaped
