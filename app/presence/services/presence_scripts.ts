/*
 * The Lua side of RedisPresenceStore. Every change of a user's effective
 * status is decided inside one script, so concurrent nodes see each
 * other's writes in a single order and exactly one of them reports it.
 *
 * Keys (ARGV[1] is the store's full key prefix, `<REDIS_PREFIX>:presence:`):
 *   KEYS[1]                     ZSET  nodeId -> last seen (ms, Redis clock)
 *   <p>node:<nodeId>            HASH  "<tenantId>:<userId>" -> online|away
 *   <p><tenantId>:text:<userId> STRING status text JSON, PX = its expiry
 *   <p><tenantId>:last_seen     HASH  userId -> ms when they went offline
 * A node hash holds every tenant's users of that node, so keeping a node
 * alive costs the same whatever number of tenants it serves.
 *
 * Node hashes are derived from ARGV, not declared in KEYS: the scripts
 * need a standalone Redis (or one Redis Cluster slot), not a cluster.
 * They read the Redis clock (TIME) so nodes never compare their own
 * clocks; Redis >= 5 replicates such scripts by effects.
 *
 * Replies are flat arrays: [calls, rejoined, then per change: tenantId,
 * userId, status, text JSON or nil, last seen ms or nil]. `calls` counts
 * the commands the script ran, for honest accounting (docs/presence.md).
 */

const LIBRARY = `
local P = ARGV[1]
local calls = 0
local function call(...)
  calls = calls + 1
  return redis.call(...)
end
local RANK = { away = 1, online = 2 }
local NAME = { [0] = 'offline', [1] = 'away', [2] = 'online' }
local function rank(status)
  return RANK[status] or 0
end
local function nodeKey(id)
  return P .. 'node:' .. id
end
local function clock()
  local time = call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
-- The best status of one user over the given nodes, leaving one out.
local function merged(nodes, field, except)
  local best = 0
  for _, id in ipairs(nodes) do
    if id ~= except then
      best = math.max(best, rank(call('HGET', nodeKey(id), field)))
      if best == 2 then
        break
      end
    end
  end
  return best
end
local out = { 0, 0 }
local function report(field, status, seenAt)
  local separator = string.find(field, ':', 1, true)
  local tenant = string.sub(field, 1, separator - 1)
  local user = string.sub(field, separator + 1)
  local lastSeen = false
  if status == 0 then
    call('HSET', P .. tenant .. ':last_seen', user, seenAt)
    lastSeen = seenAt
  end
  local n = #out
  out[n + 1] = tenant
  out[n + 2] = user
  out[n + 3] = NAME[status]
  out[n + 4] = call('GET', P .. tenant .. ':text:' .. user)
  out[n + 5] = lastSeen
end
-- Removes a node; whoever was on no other node is reported offline as of seenAt.
local function removeNode(id, seenAt)
  call('ZREM', KEYS[1], id)
  local key = nodeKey(id)
  local entries = call('HGETALL', key)
  call('DEL', key)
  local nodes = call('ZRANGE', KEYS[1], 0, -1)
  for i = 1, #entries, 2 do
    local after = merged(nodes, entries[i], nil)
    if after < rank(entries[i + 1]) then
      report(entries[i], after, seenAt)
    end
  end
end
local function reply(rejoined)
  out[1] = calls
  out[2] = rejoined and 1 or 0
  return out
end
`

/**
 * ARGV: prefix, nodeId, ttlMs, retentionMs, tick (1|0), then triples
 * tenantId, userId, status ('' removes the user from this node).
 */
export const SYNC_SCRIPT = `${LIBRARY}
local nodeId, ttl, retention, tick = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5] == '1'
local now = clock()
local previous = call('ZSCORE', KEYS[1], nodeId)
local rejoined = (not previous) or tonumber(previous) < now - ttl
call('ZADD', KEYS[1], now, nodeId)
if tick then
  local silent = call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('(%d', now - ttl), 'WITHSCORES')
  for i = 1, #silent, 2 do
    removeNode(silent[i], tonumber(silent[i + 1]))
  end
end
local key = nodeKey(nodeId)
if #ARGV > 5 then
  local nodes = call('ZRANGE', KEYS[1], 0, -1)
  for i = 6, #ARGV, 3 do
    local field = ARGV[i] .. ':' .. ARGV[i + 1]
    local status = ARGV[i + 2]
    local others = merged(nodes, field, nodeId)
    local before = math.max(others, rank(call('HGET', key, field)))
    if status == '' then
      call('HDEL', key, field)
    else
      call('HSET', key, field, status)
    end
    local after = math.max(others, rank(status))
    if before ~= after then
      report(field, after, now)
    end
  end
end
if tick or #ARGV > 5 then
  call('PEXPIRE', key, retention)
end
return reply(rejoined)
`

/** ARGV: prefix, nodeId. */
export const LEAVE_SCRIPT = `${LIBRARY}
removeNode(ARGV[2], clock())
return reply(false)
`

/** ARGV: prefix, tenantId, userIds... Reply: [calls, rank per user]. */
export const READ_SCRIPT = `${LIBRARY}
local fields = {}
local ranks = { calls }
for i = 3, #ARGV do
  fields[#fields + 1] = ARGV[2] .. ':' .. ARGV[i]
  ranks[#ranks + 1] = 0
end
for _, id in ipairs(call('ZRANGE', KEYS[1], 0, -1)) do
  local statuses = call('HMGET', nodeKey(id), unpack(fields))
  for j = 1, #fields do
    ranks[j + 1] = math.max(ranks[j + 1], rank(statuses[j]))
  end
end
ranks[1] = calls
return ranks
`
