-- A session's connection ended, or a claim is undone. If the connection is still the
-- session's (or none is named: ''), the session ends: forgotten with its name and token (keep
-- '0': the client said goodbye, or never got as far as the room), or kept resumable, its name
-- reserved, until the grace runs out (keep '1': the connection was lost or sent away; lapse.lua
-- forgets it then). Returns 1, or 0 when the session went on over another connection
-- meanwhile, or was lost already.
-- KEYS: names, holders, hosted:<node>, tokens, lapsing
-- ARGV: id, connection (or ''), keep, grace ms, session key prefix
local id = ARGV[1]
local session = ARGV[5] .. id
if ARGV[2] ~= '' and (redis.call('HGET', session, 'connection') ~= ARGV[2] or redis.call('ZSCORE', KEYS[5], id)) then
  return 0
end
redis.call('SREM', KEYS[3], id)
if ARGV[3] == '1' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('HSET', session, 'node', '')
  redis.call('ZADD', KEYS[5], now + tonumber(ARGV[4]), id)
  return 1
end
local key = redis.call('HGET', KEYS[2], id)
if key then
  if redis.call('HGET', KEYS[1], key) == id then
    redis.call('HDEL', KEYS[1], key)
  end
  redis.call('HDEL', KEYS[2], id)
end
local token = redis.call('HGET', session, 'token')
if token then
  redis.call('HDEL', KEYS[4], token)
end
redis.call('DEL', session)
redis.call('ZREM', KEYS[5], id)
return 1
