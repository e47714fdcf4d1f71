-- Appends one room event to the stream, with the bookkeeping its kind needs, in one step.
-- KEYS: events, roster, history, holders
-- ARGV: kind, id, encoded event, stream length, history size, name, folded name, order
-- Returns the event's stream id, or false when the event is moot and was not appended.
--
-- A roster entry is 'order:name', the order being the stream id of the user's first join, so
-- sign-in order survives renames and a Redis restart (a re-assertion passes the old order).
-- Kinds:
--   name      joined or renamed: dropped if the id holds no name any more (it left meanwhile)
--   reassert  a user put back after a loss: appended only if the roster lacks or misnames it
--   leave     left: off the roster
--   ghost     left, for a user whose node is gone: appended only if the roster lacks it
--   line      a room message: kept in the history too
--   pass      anything else (private messages, typing): just appended
local kind, id = ARGV[1], ARGV[2]
if kind == 'name' or kind == 'reassert' then
  local held = redis.call('HGET', KEYS[4], id)
  if (not held) or (kind == 'reassert' and held ~= ARGV[7]) then
    return false
  end
  local entry = redis.call('HGET', KEYS[2], id)
  local order
  if entry then
    order = string.match(entry, '^([^:]+):')
    if kind == 'reassert' and entry == order .. ':' .. ARGV[6] then
      return false
    end
  end
  local appended = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[3])
  if not order then
    if kind == 'reassert' and ARGV[8] ~= '' then order = ARGV[8] else order = appended end
  end
  redis.call('HSET', KEYS[2], id, order .. ':' .. ARGV[6])
  return appended
elseif kind == 'leave' then
  redis.call('HDEL', KEYS[2], id)
elseif kind == 'ghost' then
  if redis.call('HEXISTS', KEYS[2], id) == 1 then
    return false
  end
elseif kind == 'line' then
  local cap = tonumber(ARGV[5])
  if cap > 0 then
    redis.call('LPUSH', KEYS[3], ARGV[3])
    redis.call('LTRIM', KEYS[3], 0, cap - 1)
  end
end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[3])
