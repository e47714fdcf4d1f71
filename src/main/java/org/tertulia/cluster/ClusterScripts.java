package org.tertulia.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

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
 *
 * <p>The append of each room event, the one call made per line, goes to Lettuce itself on a
 * connection of its own; the rest go through Spring's template. Through the template every
 * call shares one generic path (the executor, its serializers, the connection's invoker),
 * whose compiled code the JIT kept throwing away and compiling again as calls of other
 * scripts passed through it, a minute and more into a steady load.
 */
final class ClusterScripts implements AutoCloseable {

    /** Starts a claim's reply that is not a name (names never hold control characters). */
    static final String REFUSED = "\u0001";
    static final String SETTLING = REFUSED + "settling";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RedisScript<String> claim = script("claim", String.class);
    private final RedisScript<Long> end = script("end", Long.class);
    private final RedisScript<String> resume = script("resume", String.class);
    private final RedisScript<Long> lapse = script("lapse", Long.class);
    private final RedisScript<String> append = script("append", String.class);
    private final RedisScript<String> snapshot = script("snapshot", String.class);
    private final RedisScript<Long> heartbeat = script("heartbeat", Long.class);
    private final RedisScript<Long> reap = script("reap", Long.class);
    private final RedisScript<Long> nextId = script("next-id", Long.class);
    private final RedisScript<Long> raiseIds = script("raise-ids", Long.class);
    private final RedisScript<Long> lag = script("lag", Long.class);

    private final StringRedisTemplate redis;
    private final Supplier<RedisClient> client;
    private final long timeoutMillis;
    private final Timer appendTimer;
    private final Object connecting = new Object();
    private volatile StatefulRedisConnection<String, String> direct;
    private volatile boolean closed;
    private final RedisKeys keys;
    private final String nodeId;
    private final ClusterProperties settings;
    private final int historySize;
    private final Duration grace;
    private final Map<String, Timer> timers = new HashMap<>();

    /**
     * {@code client} is the Lettuce client under {@code redis}, asked for on the first append;
     * {@code timeout} bounds the wait for an append's answer.
     */
    ClusterScripts(StringRedisTemplate redis, Supplier<RedisClient> client, Duration timeout, RedisKeys keys,
            String nodeId, ClusterProperties settings, int historySize, Duration grace, MeterRegistry registry) {
        this.redis = redis;
        this.client = client;
        this.timeoutMillis = timeout.toMillis();
        this.keys = keys;
        this.nodeId = nodeId;
        this.settings = settings;
        this.historySize = historySize;
        this.grace = grace;
        for (String command : List.of("claim", "end", "resume", "lapse", "append", "snapshot", "heartbeat", "reap",
                "deregister", "next-id", "raise-ids", "roster", "lag")) {
            timers.put(command, Timer.builder("tertulia.cluster.redis.commands").tag("command", command)
                    .description("Redis calls of this node, by command (a Lua script or a single command)")
                    .register(registry));
        }
        this.appendTimer = timers.get("append");
    }

    /**
     * A script's text, read once. A script made from the resource itself would ask the
     * resource on every call whether it changed, and inside the jar that question costs an
     * exception and the opening of the jar entry: a tenth of a node's CPU under load.
     */
    private static <T> RedisScript<T> script(String name, Class<T> result) {
        try {
            return RedisScript.of(new ClassPathResource("redis/" + name + ".lua").getContentAsString(StandardCharsets.UTF_8),
                    result);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read redis/" + name + ".lua", e);
        }
    }

    String nodeId() {
        return nodeId;
    }

    /**
     * The reply of {@code claim.lua}: the name given, or a reply starting with {@link #REFUSED}.
     * A first sign-in (or a re-assertion after a loss) passes its token's hash to open the session.
     */
    String claim(long id, long connection, boolean reassert, String tokenHash, List<String> candidates) {
        List<String> args = new ArrayList<>(7 + 2 * candidates.size());
        args.add(Long.toString(id));
        args.add(reassert ? "1" : "0");
        args.add(Long.toString(settings.settle().toMillis()));
        args.add(Long.toString(connection));
        args.add(nodeId);
        args.add(tokenHash == null ? "" : tokenHash);
        args.add(keys.sessions());
        for (String candidate : candidates) {
            args.add(candidate);
            args.add(UsernameRegistry.key(candidate));
        }
        return call("claim", () -> redis.execute(claim, List.of(keys.names(), keys.holders(), keys.hosted(nodeId),
                keys.epoch(), keys.settling(), keys.tokens(), keys.lapsing()), args.toArray()));
    }

    /** Runs {@code end.lua}: true when {@code connection} (null: any) was the session's and it ended. */
    boolean end(long id, Long connection, boolean keep) {
        Long ended = call("end", () -> redis.execute(end, endKeys(), Long.toString(id),
                connection == null ? "" : Long.toString(connection), keep ? "1" : "0",
                Long.toString(grace.toMillis()), keys.sessions()));
        return ended != null && ended == 1;
    }

    private List<String> endKeys() {
        return List.of(keys.names(), keys.holders(), keys.hosted(nodeId), keys.tokens(), keys.lapsing());
    }

    /** The session this token opens under this name, now over {@code connection} on this node; null if none. */
    UsernameRegistry.Session resume(String tokenHash, String name, long connection) {
        String reply = call("resume", () -> redis.execute(resume,
                List.of(keys.tokens(), keys.holders(), keys.hosted(nodeId), keys.lapsing()), tokenHash,
                UsernameRegistry.key(name), Long.toString(connection), nodeId, keys.sessions(), keys.hosted()));
        if (reply == null) {
            return null;
        }
        int colon = reply.indexOf(':');
        return new UsernameRegistry.Session(Long.parseLong(reply.substring(0, colon)), reply.substring(colon + 1));
    }

    /** Forgets the sessions whose grace ran out; returns how many. */
    long lapse() {
        Long lapsed = call("lapse", () -> redis.execute(lapse,
                List.of(keys.names(), keys.holders(), keys.tokens(), keys.lapsing()), keys.sessions()));
        return lapsed == null ? 0 : lapsed;
    }

    /** Appends {@code event} as {@code kind}; returns its position, or null when the script found it moot. */
    Long append(Append kind, RoomEvent event, String name, String order, Long connection) {
        String[] names = {keys.events(), keys.roster(), keys.history(), keys.holders(), keys.position()};
        String[] args = {kind.script(), Long.toString(event.id()), EventCodec.encode(event),
                Integer.toString(settings.streamLength()), Integer.toString(historySize), name == null ? "" : name,
                name == null ? "" : UsernameRegistry.key(name), order == null ? "" : order,
                connection == null ? "" : Long.toString(connection), keys.pushed()};
        long start = System.nanoTime();
        try {
            StatefulRedisConnection<String, String> link = direct();
            String position;
            try {
                position = await(link.async().evalsha(append.getSha1(), ScriptOutputType.VALUE, names, args));
            } catch (RedisNoScriptException e) {
                // Redis lost its script cache (it restarted): EVAL sends the text and caches it again.
                position = await(link.async().eval(append.getScriptAsString(), ScriptOutputType.VALUE, names, args));
            }
            return position == null ? null : Long.valueOf(position);
        } finally {
            appendTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** The append's connection, opened on first use (and again after a failed open). */
    private StatefulRedisConnection<String, String> direct() {
        StatefulRedisConnection<String, String> open = direct;
        if (open != null) {
            return open;
        }
        synchronized (connecting) {
            if (closed) {
                throw new RoomUnavailableException("this node is leaving the room", null);
            }
            if (direct == null) {
                try {
                    direct = client.get().connect();
                } catch (RuntimeException e) {
                    throw new RoomUnavailableException("Redis did not answer: " + e.getMessage(), e);
                }
            }
            return direct;
        }
    }

    private <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisNoScriptException noScript) {
                throw noScript;
            }
            throw new RoomUnavailableException("Redis did not answer: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            reply.cancel(false);
            throw new RoomUnavailableException("Redis did not answer within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoomUnavailableException("interrupted while waiting for Redis", e);
        }
    }

    /**
     * Closes the append's connection, unless the Redis client closed it already as it shut
     * down (Lettuce warns of a second close); appends fail from now on.
     */
    @Override
    public void close() {
        synchronized (connecting) {
            closed = true;
            if (direct != null && direct.isOpen()) {
                direct.close();
            }
            direct = null;
        }
    }

    /** A user on the shared roster, and the position of its first sign-in. */
    record Listed(RoomEvent.Joined joined, long order) {
    }

    /** A room line of the shared history, at its position. */
    record Line(long position, RoomEvent.Said said) {
    }

    /** The state a starting node applies before reading the stream live after {@code last}. */
    record Snapshot(long last, List<Listed> roster, List<Line> history) {
    }

    Snapshot snapshot() {
        JsonNode reply = JSON.readTree(call("snapshot", () -> redis.execute(snapshot,
                List.of(keys.events(), keys.roster(), keys.history()))));
        long now = System.currentTimeMillis();
        List<Listed> roster = new ArrayList<>();
        for (JsonNode pair : reply.path("roster")) {
            String[] entry = pair.get(1).asString().split(":", 3);
            roster.add(new Listed(new RoomEvent.Joined(Long.parseLong(pair.get(0).asString()), Long.parseLong(entry[1]),
                    entry[2], now), Long.parseLong(entry[0])));
        }
        roster.sort(Comparator.comparingLong(Listed::order));
        List<Line> history = new ArrayList<>();
        for (JsonNode stored : reply.path("history")) {
            String line = stored.asString();
            int space = line.indexOf(' ');
            if (EventCodec.decode(line.substring(space + 1)) instanceof RoomEvent.Said said) {
                history.add(0, new Line(Long.parseLong(line.substring(0, space)), said)); // stored newest first
            }
        }
        return new Snapshot(reply.path("last").asLong(), roster, history);
    }

    /** What {@code heartbeat.lua} is asked to do. */
    enum Beat { FRESH, BEAT, REPAIR }

    /** Runs the heartbeat script; false only for a beat that found the registration gone. */
    boolean heartbeat(Beat mode) {
        Long alive = call("heartbeat", () -> redis.execute(heartbeat,
                List.of(keys.node(nodeId), keys.nodes(), keys.epoch(), keys.settling()), nodeId,
                Long.toString(settings.nodeTtl().toMillis()), mode.name().toLowerCase(Locale.ROOT),
                Long.toString(settings.settle().toMillis())));
        return alive != null && alive != 0;
    }

    /** Reaps every node whose heartbeat expired (its users' sessions stay resumable); returns how many. */
    long reap() {
        Long reaped = call("reap", () -> redis.execute(reap, List.of(keys.nodes(), keys.lapsing(), keys.position()),
                keys.prefix(), Integer.toString(settings.streamLength()), Long.toString(grace.toMillis())));
        return reaped == null ? 0 : reaped;
    }

    /** Takes this node's heartbeat away, so the next reap takes its users out. */
    void deregister() {
        call("deregister", () -> redis.delete(keys.node(nodeId)));
    }

    long nextId(long floor) {
        return call("next-id", () -> redis.execute(nextId, List.of(keys.ids()), Long.toString(floor)));
    }

    void raiseIds(long floor) {
        call("raise-ids", () -> redis.execute(raiseIds, List.of(keys.ids()), Long.toString(floor)));
    }

    /** The ids on the shared roster. */
    Set<Long> rosterIds() {
        Set<Long> ids = new HashSet<>();
        for (Object id : call("roster", () -> redis.opsForHash().keys(keys.roster()))) {
            ids.add(Long.parseLong(id.toString()));
        }
        return ids;
    }

    /** How many events the stream holds after {@code lastId}, counting no further than {@code limit}. */
    long eventsAfter(String lastId, int limit) {
        Long count = call("lag", () -> redis.execute(lag, List.of(keys.events()), lastId, Integer.toString(limit)));
        return count == null ? 0 : count;
    }

    private <T> T call(String command, Supplier<T> call) {
        Timer.Sample sample = Timer.start();
        try {
            return call.get();
        } catch (RoomUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RoomUnavailableException("Redis did not answer: " + e.getMessage(), e);
        } finally {
            sample.stop(timers.get(command));
        }
    }
}
