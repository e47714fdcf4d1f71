-- Gives a connection the first free name among the candidates, releasing any other name it held.
-- KEYS: names, holders, hosted:<node>, epoch, settling
-- ARGV: id, reassert ('1' or '0'), settle ms, then (name, folded name) pairs in order of preference
-- Returns the name given; '\1settling' while a Redis that lost its state lets only re-assertions
-- claim (the epoch key is gone after a data loss, and the first claim starts that window);
-- '\1taken' when every candidate is held by another connection.
if redis.call('EXISTS', KEYS[4]) == 0 then
  redis.call('SET', KEYS[4], '1')
  redis.call('SET', KEYS[5], '1', 'PX', ARGV[3])
end
if ARGV[2] == '0' and redis.call('EXISTS', KEYS[5]) == 1 then
  return '\1settling'
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
return '\1taken'
