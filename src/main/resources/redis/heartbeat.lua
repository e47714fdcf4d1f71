-- A node's heartbeat and (re)registration.
-- KEYS: node:<node>, nodes, epoch, settling
-- ARGV: node id, ttl ms, mode ('beat', 'fresh' or 'repair'), settle ms
-- beat: refreshes the heartbeat if it still exists; 0 means it was lost (reaped, or Redis lost its
-- data) and the node must repair. fresh or repair: (re)registers; a repair that finds the epoch
-- gone starts the settling window.
if ARGV[3] == 'beat' then
  if redis.call('SET', KEYS[1], '1', 'PX', ARGV[2], 'XX') then
    return 1
  end
  return 0
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
if redis.call('SET', KEYS[3], '1', 'NX') and ARGV[3] == 'repair' then
  redis.call('SET', KEYS[4], '1', 'PX', ARGV[4])
end
return 1
