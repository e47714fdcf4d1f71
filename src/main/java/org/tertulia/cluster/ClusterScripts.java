package org.tertulia.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.tertulia.room.RoomEvent;
import org.tertulia.room.RoomUnavailableException;
import org.tertulia.room.UsernameRegistry;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every call this node makes to Redis, each an atomic Lua script (under
 * {@code src/main/resources/redis/}) or a single command, with its keys and arguments laid
 * out in one place. Any failure comes out as {@link RoomUnavailableException}.
 */
final class ClusterScripts {

    /** Starts a claim's reply that is not a name (names never hold control characters). */
    static final String REFUSED = "\u0001";
    static final String SETTLING = REFUSED + "settling";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RedisScript<String> claim = script("claim", String.class);
    private final RedisScript<Long> release = script("release", Long.class);
    private final RedisScript<String> append = script("append", String.class);
    private final RedisScript<String> snapshot = script("snapshot", String.class);
    private final RedisScript<Long> heartbeat = script("heartbeat", Long.class);
    private final RedisScript<Long> reap = script("reap", Long.class);
    private final RedisScript<Long> nextId = script("next-id", Long.class);
    private final RedisScript<Long> raiseIds = script("raise-ids", Long.class);

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final String nodeId;
    private final ClusterProperties settings;
    private final int historySize;

    ClusterScripts(StringRedisTemplate redis, RedisKeys keys, String nodeId, ClusterProperties settings,
            int historySize) {
        this.redis = redis;
        this.keys = keys;
        this.nodeId = nodeId;
        this.settings = settings;
        this.historySize = historySize;
    }

    private static <T> RedisScript<T> script(String name, Class<T> result) {
        return RedisScript.of(new ClassPathResource("redis/" + name + ".lua"), result);
    }

    String nodeId() {
        return nodeId;
    }

    /** The reply of {@code claim.lua}: the name given, or a reply starting with {@link #REFUSED}. */
    String claim(long id, boolean reassert, List<String> candidates) {
        List<String> args = new ArrayList<>(3 + 2 * candidates.size());
        args.add(Long.toString(id));
        args.add(reassert ? "1" : "0");
        args.add(Long.toString(settings.settle().toMillis()));
        for (String candidate : candidates) {
            args.add(candidate);
            args.add(UsernameRegistry.key(candidate));
        }
        return call(() -> redis.execute(claim,
                List.of(keys.names(), keys.holders(), keys.hosted(nodeId), keys.epoch(), keys.settling()),
                args.toArray()));
    }

    void release(long id) {
        call(() -> redis.execute(release, List.of(keys.names(), keys.holders(), keys.hosted(nodeId)),
                Long.toString(id)));
    }

    boolean isTaken(String name) {
        return call(() -> redis.opsForHash().hasKey(keys.names(), UsernameRegistry.key(name)));
    }

    /** Appends {@code event} as {@code kind}; returns its stream id, or null when the script found it moot. */
    String append(Append kind, RoomEvent event, String name, String order) {
        String encoded = EventCodec.encode(event);
        return call(() -> redis.execute(append, List.of(keys.events(), keys.roster(), keys.history(), keys.holders()),
                kind.script(), Long.toString(EventCodec.idOf(event)), encoded,
                Integer.toString(settings.streamLength()), Integer.toString(historySize),
                name == null ? "" : name, name == null ? "" : UsernameRegistry.key(name), order == null ? "" : order));
    }

    /** A user on the shared roster, and the order of its sign-in (a stream id). */
    record Listed(RoomEvent.Joined joined, String order) {
    }

    /** The state a starting node applies before reading the stream live from {@code lastId}. */
    record Snapshot(String lastId, List<Listed> roster, List<RoomEvent.Said> history) {
    }

    Snapshot snapshot() {
        JsonNode reply = JSON.readTree(call(() -> redis.execute(snapshot,
                List.of(keys.events(), keys.roster(), keys.history()))));
        long now = System.currentTimeMillis();
        List<Listed> roster = new ArrayList<>();
        for (JsonNode pair : reply.path("roster")) {
            String entry = pair.get(1).asString();
            int colon = entry.indexOf(':');
            roster.add(new Listed(new RoomEvent.Joined(Long.parseLong(pair.get(0).asString()),
                    entry.substring(colon + 1), now), entry.substring(0, colon)));
        }
        roster.sort(Comparator.comparing(Listed::order, EventCodec::compareStreamIds));
        List<RoomEvent.Said> history = new ArrayList<>();
        for (JsonNode encoded : reply.path("history")) {
            if (EventCodec.decode(encoded.asString()) instanceof RoomEvent.Said said) {
                history.add(0, said); // stored newest first
            }
        }
        return new Snapshot(reply.path("last").asString(), roster, history);
    }

    /** What {@code heartbeat.lua} is asked to do. */
    enum Beat { FRESH, BEAT, REPAIR }

    /** Runs the heartbeat script; false only for a beat that found the registration gone. */
    boolean heartbeat(Beat mode) {
        Long alive = call(() -> redis.execute(heartbeat,
                List.of(keys.node(nodeId), keys.nodes(), keys.epoch(), keys.settling()), nodeId,
                Long.toString(settings.nodeTtl().toMillis()), mode.name().toLowerCase(java.util.Locale.ROOT),
                Long.toString(settings.settle().toMillis())));
        return alive != null && alive != 0;
    }

    /** Reaps every node whose heartbeat expired; returns how many. */
    long reap() {
        Long reaped = call(() -> redis.execute(reap, List.of(keys.nodes()), keys.prefix(),
                Integer.toString(settings.streamLength())));
        return reaped == null ? 0 : reaped;
    }

    /** Takes this node's heartbeat away, so the next reap takes its users out. */
    void deregister() {
        call(() -> redis.delete(keys.node(nodeId)));
    }

    long nextId(long floor) {
        return call(() -> redis.execute(nextId, List.of(keys.ids()), Long.toString(floor)));
    }

    void raiseIds(long floor) {
        call(() -> redis.execute(raiseIds, List.of(keys.ids()), Long.toString(floor)));
    }

    /** The ids on the shared roster. */
    Set<Long> rosterIds() {
        Set<Long> ids = new HashSet<>();
        for (Object id : call(() -> redis.opsForHash().keys(keys.roster()))) {
            ids.add(Long.parseLong(id.toString()));
        }
        return ids;
    }

    private static <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (RoomUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RoomUnavailableException("Redis did not answer: " + e.getMessage(), e);
        }
    }
}
