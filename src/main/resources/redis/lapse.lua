-- Forgets the sessions whose grace ran out: their names are free again, their tokens void.
-- KEYS: names, holders, tokens, lapsing
-- ARGV: session key prefix
-- Returns how many sessions lapsed.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(lapsed) do
  local key = redis.call('HGET', KEYS[2], id)
  if key then
    if redis.call('HGET', KEYS[1], key) == id then
      redis.call('HDEL', KEYS[1], key)
    end
    redis.call('HDEL', KEYS[2], id)
  end
  local session = ARGV[1] .. id
  local token = redis.call('HGET', session, 'token')
  if token then
    redis.call('HDEL', KEYS[3], token)
  end
  redis.call('DEL', session)
  redis.call('ZREM', KEYS[4], id)
end
return #lapsed
