-- How many events the stream holds after the one a node read last (at most the limit given):
-- how far behind that node is. Only the count leaves Redis.
-- KEYS: events
-- ARGV: the last stream id read, limit
return #redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])
