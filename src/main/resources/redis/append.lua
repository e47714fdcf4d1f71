-- Appends room events to the stream, in the order given, each with the bookkeeping its kind
-- needs, in one step. A node sends the events its users produced since its last append in one
-- call (see Appends.java); each is handled exactly as if it had been appended alone.
-- Each goes at the next position of the room's order: a number that only grows, the greater
-- of the last position + 1 and Redis's clock in microseconds, so it keeps growing after Redis
-- lost its data. The stream entry's id is '<position>-0'. Every entry is also published on the
-- channel the nodes subscribe to, as '<previous position> <position> <encoded event>': a node
-- that last applied the previous position applies it at once; any other reads the stream.
-- (Redis writes the messages one call publishes to a subscriber together.)
-- KEYS: events, roster, history, holders, position
-- ARGV: stream length, history size, channel, then for each event 7 values:
--       kind, id, encoded event, name, folded name, order, connection
-- Returns, for each event in turn, its position, or '' when the event is moot and was not
-- appended.
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
local streamLength, cap, channel = ARGV[1], tonumber(ARGV[2]), ARGV[3]

local function append(encoded)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local previous = redis.call('GET', KEYS[5]) or '0'
  local position = math.max((tonumber(previous) or 0) + 1, now)
  position = string.format('%d', position)
  redis.call('SET', KEYS[5], position)
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', streamLength, position .. '-0', 'e', encoded)
  redis.call('PUBLISH', channel, previous .. ' ' .. position .. ' ' .. encoded)
  return position
end

-- One event, whose values start at ARGV[at + 1]; its position, or '' when moot.
local function one(at)
  local kind, id, encoded = ARGV[at + 1], ARGV[at + 2], ARGV[at + 3]
  local name, folded, given, conn = ARGV[at + 4], ARGV[at + 5], ARGV[at + 6], ARGV[at + 7]
  local entry = redis.call('HGET', KEYS[2], id)
  local order, connection, listed
  if entry then
    order, connection, listed = string.match(entry, '^([^:]*):([^:]*):(.*)$')
  end
  if kind == 'name' or kind == 'reassert' then
    local held = redis.call('HGET', KEYS[4], id)
    if (not held) or (kind == 'reassert' and held ~= folded) then
      return ''
    end
    if kind == 'reassert' and listed == name then
      return ''
    end
    local position = append(encoded)
    if not order then
      if kind == 'reassert' and given ~= '' then order = given else order = position end
    end
    redis.call('HSET', KEYS[2], id, order .. ':' .. (connection or conn) .. ':' .. name)
    return position
  elseif kind == 'resumed' then
    local position = append(encoded)
    redis.call('HSET', KEYS[2], id, (order or position) .. ':' .. conn .. ':' .. name)
    return position
  elseif kind == 'leave' then
    if connection ~= conn then
      return ''
    end
    redis.call('HDEL', KEYS[2], id)
  elseif kind == 'ghost' then
    if entry then
      return ''
    end
  elseif kind == 'line' then
    local position = append(encoded)
    if cap > 0 then
      redis.call('LPUSH', KEYS[3], position .. ' ' .. encoded)
      redis.call('LTRIM', KEYS[3], 0, cap - 1)
    end
    return position
  end
  return append(encoded)
end

local positions = {}
for at = 3, #ARGV - 1, 7 do
  positions[#positions + 1] = one(at)
end
return positions
