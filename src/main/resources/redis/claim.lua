-- Gives a session the first free name among the candidates, releasing any other name it held.
-- KEYS: names, holders, hosted:<node>, epoch, settling, tokens, lapsing
-- ARGV: id, reassert ('1' or '0'), settle ms, connection, node, token hash ('' for a rename),
--       session key prefix, then (name, folded name) pairs in order of preference
-- A first sign-in (a token hash given) opens the session: session:<id> holds its token hash,
-- connection, node and name. A name is held while its holder's session lives: a session whose
-- grace ran out (see lapse.lua), or that Redis lost, frees its name for whoever asks next.
-- Returns the name given; '\1settling' while a Redis that lost its state lets only re-assertions
-- claim (the epoch key is gone after a data loss, and the first claim starts that window);
-- '\1taken' when every candidate is held.
if redis.call('EXISTS', KEYS[4]) == 0 then
  redis.call('SET', KEYS[4], '1')
  redis.call('SET', KEYS[5], '1', 'PX', ARGV[3])
end
if ARGV[2] == '0' and redis.call('EXISTS', KEYS[5]) == 1 then
  return '\1settling'
end
local id, connection, node, token, sessions = ARGV[1], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 8, #ARGV, 2 do
  local name, key = ARGV[i], ARGV[i + 1]
  local holder = redis.call('HGET', KEYS[1], key)
  if holder and holder ~= id then
    local lapses = redis.call('ZSCORE', KEYS[7], holder)
    if redis.call('EXISTS', sessions .. holder) == 0 or (lapses and tonumber(lapses) <= now) then
      redis.call('HDEL', KEYS[1], key)
      redis.call('HDEL', KEYS[2], holder)
      holder = false
    end
  end
  if (not holder) or holder == id then
    local old = redis.call('HGET', KEYS[2], id)
    if old and old ~= key and redis.call('HGET', KEYS[1], old) == id then
      redis.call('HDEL', KEYS[1], old)
    end
    redis.call('HSET', KEYS[1], key, id)
    redis.call('HSET', KEYS[2], id, key)
    redis.call('SADD', KEYS[3], id)
    local session = sessions .. id
    if token ~= '' then
      redis.call('HSET', session, 'token', token, 'connection', connection, 'node', node, 'name', name)
      redis.call('HSET', KEYS[6], token, id)
      redis.call('ZREM', KEYS[7], id)
    elseif redis.call('EXISTS', session) == 1 then
      redis.call('HSET', session, 'name', name)
    end
    return name
  end
end
return '\1taken'
