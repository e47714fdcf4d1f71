package org.tertulia.cluster;

import java.time.Duration;
import java.util.UUID;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.tertulia.room.RoomProperties;

/**
 * Cluster mode ({@code tertulia.cluster.mode=redis}): the room's bus, name registry and id
 * source live in Redis (the {@code spring.data.redis.*} settings), so every node behind a
 * load balancer serves one room.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tertulia.cluster.mode", havingValue = "redis")
class RedisClusterConfig {

    @Bean
    ClusterScripts clusterScripts(LettuceConnectionFactory connections, DataRedisProperties redisSettings,
            ClusterProperties settings, RoomProperties room, MeterRegistry registry) {
        String nodeId = UUID.randomUUID().toString().substring(0, 8);
        return new ClusterScripts(new StringRedisTemplate(connections), () -> lettuce(connections),
                redisSettings.getTimeout(), RedisKeys.DEFAULT, nodeId, settings, room.historySize(), room.resumeGrace(),
                registry);
    }

    @Bean
    AppliedRoster appliedRoster() {
        return new AppliedRoster();
    }

    @Bean
    RedisNames usernameRegistry(ClusterScripts redis, RoomProperties room) {
        return new RedisNames(redis, room.maxNameLength());
    }

    @Bean
    RedisIds connectionIds(ClusterScripts redis, AppliedRoster roster) {
        return new RedisIds(redis, roster);
    }

    @Bean
    NodeMembership nodeMembership(ClusterScripts redis, RedisNames names, AppliedRoster roster,
            ClusterProperties settings, @Qualifier("clusterHeartbeat") ThreadPoolTaskScheduler heartbeat) {
        return new NodeMembership(redis, names, roster, settings, heartbeat);
    }

    @Bean
    RedisRoomBus roomBus(ClusterScripts redis, LettuceConnectionFactory connections, AppliedRoster roster,
            NodeMembership membership, @Qualifier("clusterReader") ThreadPoolTaskExecutor reader,
            DataRedisProperties redisSettings, MeterRegistry registry) {
        // The reader uses Lettuce's client itself: it subscribes and reads asynchronously,
        // which Spring's connection does not offer for streams.
        return new RedisRoomBus(redis, new StreamReader(() -> lettuce(connections), redis, RedisKeys.DEFAULT, roster,
                membership, reader, redisSettings.getTimeout(), registry), membership);
    }

    /**
     * The Lettuce client under Spring's connection factory, with Spring Boot's settings and
     * options (a single Redis, or one found through Sentinel). The append and the stream
     * reader open their own connections on it.
     */
    static RedisClient lettuce(LettuceConnectionFactory connections) {
        if (connections.getRequiredNativeClient() instanceof RedisClient client) {
            return client;
        }
        throw new IllegalStateException("cluster mode needs one Redis (or Sentinel), not a Redis Cluster: its scripts"
                + " touch several keys at once");
    }

    /** Events this node has still to read from the shared stream, asked of Redis when scraped (up to 1,000; NaN without Redis). */
    @Bean
    MeterBinder clusterStreamLag(RedisRoomBus bus) {
        return registry -> Gauge.builder("tertulia.cluster.stream.lag", bus, RedisRoomBus::lag)
                .description("Events of the shared stream this node has not applied yet (counted up to 1,000)")
                .register(registry);
    }

    /** The one thread of heartbeats, reaping and repairs. */
    @Bean
    ThreadPoolTaskScheduler clusterHeartbeat() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("cluster-heartbeat-");
        scheduler.setDaemon(true);
        scheduler.setAcceptTasksAfterContextClose(true);
        return scheduler;
    }

    /** The one thread that connects to the room's stream and watches it; the bus stops it before the context shuts it down. */
    @Bean
    ThreadPoolTaskExecutor clusterReader() {
        ThreadPoolTaskExecutor reader = new ThreadPoolTaskExecutor();
        reader.setThreadNamePrefix("cluster-reader-");
        reader.setCorePoolSize(1);
        reader.setMaxPoolSize(1);
        reader.setDaemon(true);
        reader.setAcceptTasksAfterContextClose(true);
        return reader;
    }

    /**
     * Without this, Lettuce times every command into latency histograms of its own (with
     * three pause-detector threads that wake every 10 ms) whenever LatencyUtils is on the
     * class path, as Micrometer puts it; nothing reads them, and
     * {@code tertulia.cluster.redis.commands} already times every call this node makes.
     */
    @Bean
    ClientResourcesBuilderCustomizer clusterClientResources() {
        return resources -> resources.commandLatencyRecorder(CommandLatencyRecorder.disabled());
    }

    /**
     * While Redis is unreachable, commands fail at once (the sender hears "not delivered")
     * instead of queueing, and nothing queued is replayed on reconnect: a message a user was
     * told was lost must not turn up later. TCP keepalive notices a silently dead peer.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer clusterClientOptions(DataRedisProperties redis) {
        return options -> options
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .replayFilter(command -> true)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(redis.getConnectTimeout())
                        .keepAlive(SocketOptions.KeepAliveOptions.builder()
                                .enable()
                                .idle(Duration.ofSeconds(5))
                                .interval(Duration.ofSeconds(2))
                                .count(3)
                                .build())
                        .build());
    }
}
