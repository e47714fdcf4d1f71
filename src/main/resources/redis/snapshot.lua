-- The state a starting node needs, taken in one step, as JSON:
-- {"last": the position reading resumes after, "roster": [[id, "order:connection:name"], ...],
--  "history": ["position encoded-event", ...] newest first}
-- KEYS: events, roster, history
local function array(items)
  return '[' .. table.concat(items, ',') .. ']'
end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local roster = redis.call('HGETALL', KEYS[2])
local entries = {}
for i = 1, #roster, 2 do
  entries[#entries + 1] = array({cjson.encode(roster[i]), cjson.encode(roster[i + 1])})
end
local history = {}
for _, line in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do
  history[#history + 1] = cjson.encode(line)
end
local position = '0'
if #last > 0 then position = string.match(last[1][1], '^(%d+)') end
return '{"last":' .. position .. ',"roster":' .. array(entries) .. ',"history":' .. array(history) .. '}'
