-- Raises the id counter to at least a floor.
-- KEYS: ids
-- ARGV: floor
local floor = tonumber(ARGV[1])
if (tonumber(redis.call('GET', KEYS[1])) or 0) < floor then
  redis.call('SET', KEYS[1], floor)
end
return 1
