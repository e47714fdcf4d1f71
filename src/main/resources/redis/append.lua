-- Appends one room event to the stream, with the bookkeeping its kind needs, in one step, at
-- the next position of the room's order: a number that only grows, the greater of the last
-- position + 1 and Redis's clock in microseconds, so it keeps growing after Redis lost its
-- data. The stream entry's id is '<position>-0'. Every entry is also published on the
-- channel the nodes subscribe to, as '<previous position> <position> <encoded event>': a node
-- that last applied the previous position applies it at once; any other reads the stream.
-- KEYS: events, roster, history, holders, position
-- ARGV: kind, id, encoded event, stream length, history size, name, folded name, order,
--       connection, channel
-- Returns the event's position, or false when the event is moot and was not appended.
--
-- A roster entry is 'order:connection:name': order is the position of the user's first join,
-- so sign-in order survives renames and a Redis restart (a re-assertion passes the old order);
-- connection is the session's current connection, so a leave from one it no longer has is moot.
-- Kinds:
--   name      joined or renamed: dropped if the id holds no name any more (it left meanwhile)
--   reassert  a user put back after a loss: appended only if the roster lacks or misnames it
--   resumed   a session over a new connection: on the roster (again) with that connection
--   leave     left: off the roster, unless the session is on another connection by now
--   ghost     left, for a user whose node is gone: appended only if the roster lacks it
--   line      a room message: kept in the history too
--   pass      anything else (private messages, typing): just appended
local kind, id = ARGV[1], ARGV[2]
local entry = redis.call('HGET', KEYS[2], id)
local order, connection, listed
if entry then
  order, connection, listed = string.match(entry, '^([^:]*):([^:]*):(.*)$')
end

local function append()
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local previous = redis.call('GET', KEYS[5]) or '0'
  local position = math.max((tonumber(previous) or 0) + 1, now)
  position = string.format('%d', position)
  redis.call('SET', KEYS[5], position)
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], position .. '-0', 'e', ARGV[3])
  redis.call('PUBLISH', ARGV[10], previous .. ' ' .. position .. ' ' .. ARGV[3])
  return position
end

if kind == 'name' or kind == 'reassert' then
  local held = redis.call('HGET', KEYS[4], id)
  if (not held) or (kind == 'reassert' and held ~= ARGV[7]) then
    return false
  end
  if kind == 'reassert' and listed == ARGV[6] then
    return false
  end
  local position = append()
  if not order then
    if kind == 'reassert' and ARGV[8] ~= '' then order = ARGV[8] else order = position end
  end
  redis.call('HSET', KEYS[2], id, order .. ':' .. (connection or ARGV[9]) .. ':' .. ARGV[6])
  return position
elseif kind == 'resumed' then
  local position = append()
  redis.call('HSET', KEYS[2], id, (order or position) .. ':' .. ARGV[9] .. ':' .. ARGV[6])
  return position
elseif kind == 'leave' then
  if connection ~= ARGV[9] then
    return false
  end
  redis.call('HDEL', KEYS[2], id)
elseif kind == 'ghost' then
  if entry then
    return false
  end
elseif kind == 'line' then
  local position = append()
  local cap = tonumber(ARGV[5])
  if cap > 0 then
    redis.call('LPUSH', KEYS[3], position .. ' ' .. ARGV[3])
    redis.call('LTRIM', KEYS[3], 0, cap - 1)
  end
  return position
end
return append()
