-- A new connection presents a session's token under the session's name: the session goes on
-- over it, on this node. The session's old node no longer hosts it.
-- KEYS: tokens, holders, hosted:<node>, lapsing
-- ARGV: token hash, folded name, connection, node, session key prefix, hosted key prefix
-- Returns 'id:name', or false when no live session has this token under this name.
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then
  return false
end
local session = ARGV[5] .. id
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lapses = redis.call('ZSCORE', KEYS[4], id)
if redis.call('EXISTS', session) == 0 or (lapses and tonumber(lapses) <= now) then
  return false
end
if redis.call('HGET', KEYS[2], id) ~= ARGV[2] then
  return false
end
local old = redis.call('HGET', session, 'node')
if old and old ~= '' then
  redis.call('SREM', ARGV[6] .. old, id)
end
redis.call('SADD', KEYS[3], id)
redis.call('HSET', session, 'connection', ARGV[3], 'node', ARGV[4])
redis.call('ZREM', KEYS[4], id)
return id .. ':' .. redis.call('HGET', session, 'name')
