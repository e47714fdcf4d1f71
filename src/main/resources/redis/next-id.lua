-- The next connection id, above a floor (the highest id the asking node has seen, which keeps
-- ids unique after Redis lost its counter).
-- KEYS: ids
-- ARGV: floor
local id = redis.call('INCR', KEYS[1])
local floor = tonumber(ARGV[1])
if id <= floor then
  id = floor + 1
  redis.call('SET', KEYS[1], id)
end
return id
