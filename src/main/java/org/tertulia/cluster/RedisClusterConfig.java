package org.tertulia.cluster;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.tertulia.TertuliaProperties;
import org.tertulia.room.ConnectionIds;
import org.tertulia.room.UsernameRegistry;

/**
 * Cluster mode ({@code tertulia.cluster.mode=redis}): the room's bus, name registry and id
 * source live in Redis (the {@code spring.data.redis.*} settings), so every node behind a
 * load balancer serves one room.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tertulia.cluster.mode", havingValue = "redis")
class RedisClusterConfig {

    /** Used when spring.data.redis.timeout is not set: Lettuce's own default (60 s) would hang senders. */
    static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

    @Bean
    ClusterNode clusterNode(RedisConnectionFactory connections, TertuliaProperties properties) {
        TertuliaProperties.Cluster cluster = properties.cluster();
        StringRedisTemplate redis = new StringRedisTemplate(connections);
        return new ClusterNode(redis, RedisKeys.DEFAULT, cluster.nodeTtl(), streamLength(cluster),
                properties.historySize(), properties.maxNameLength());
    }

    @Bean
    RedisRoomBus roomBus(ClusterNode node, RedisConnectionFactory connections, DataRedisProperties redis) {
        Duration timeout = redis.getTimeout() == null ? DEFAULT_COMMAND_TIMEOUT : redis.getTimeout();
        // XREAD blocks on the server; it must return well inside the command timeout.
        Duration block = Duration.ofMillis(Math.max(10, Math.min(1_000, timeout.toMillis() / 2)));
        return new RedisRoomBus(node, connections, RedisKeys.DEFAULT, block, Duration.ofSeconds(10));
    }

    @Bean
    UsernameRegistry usernameRegistry(ClusterNode node) {
        return new RedisUsernameRegistry(node);
    }

    @Bean
    ConnectionIds connectionIds(ClusterNode node) {
        return node::nextId;
    }

    /**
     * While Redis is unreachable, commands fail at once (the sender hears "not delivered")
     * instead of queueing, and nothing queued is replayed on reconnect: a message a user was
     * told was lost must not turn up later. TCP keepalive notices a silently dead peer.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer clusterClientOptions(DataRedisProperties redis) {
        Duration connectTimeout = redis.getConnectTimeout() == null ? Duration.ofSeconds(2) : redis.getConnectTimeout();
        return options -> options
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .replayFilter(command -> true)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(connectTimeout)
                        .keepAlive(SocketOptions.KeepAliveOptions.builder()
                                .enable()
                                .idle(Duration.ofSeconds(5))
                                .interval(Duration.ofSeconds(2))
                                .count(3)
                                .build())
                        .build());
    }

    @Bean
    LettuceClientConfigurationBuilderCustomizer clusterCommandTimeout(DataRedisProperties redis) {
        return builder -> {
            if (redis.getTimeout() == null) {
                builder.commandTimeout(DEFAULT_COMMAND_TIMEOUT);
            }
        };
    }

    private static int streamLength(TertuliaProperties.Cluster cluster) {
        return cluster.streamLength() > 0 ? cluster.streamLength() : 10_000;
    }
}
