-- Releases whatever name a connection holds.
-- KEYS: names, holders, hosted:<node>
-- ARGV: id
local key = redis.call('HGET', KEYS[2], ARGV[1])
if key then
  if redis.call('HGET', KEYS[1], key) == ARGV[1] then
    redis.call('HDEL', KEYS[1], key)
  end
  redis.call('HDEL', KEYS[2], ARGV[1])
end
redis.call('SREM', KEYS[3], ARGV[1])
return 1
