package org.tertulia.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Lettuce client that the append and the stream reader open their connections on. A
 * factory is started but never connects here: Lettuce connects on first use.
 */
class RedisClusterConfigTest {

    @Test
    void aSingleRedisHandsOverItsClient() {
        LettuceConnectionFactory single = started(new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", 1)));
        try {
            assertThat(RedisClusterConfig.lettuce(single)).isSameAs(single.getRequiredNativeClient());
        } finally {
            single.destroy();
        }
    }

    @Test
    void aRedisClusterIsRefusedWithItsReason() {
        LettuceConnectionFactory cluster = started(new LettuceConnectionFactory(
                new RedisClusterConfiguration(List.of("127.0.0.1:1"))));
        try {
            assertThatThrownBy(() -> RedisClusterConfig.lettuce(cluster))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not a Redis Cluster");
        } finally {
            cluster.destroy();
        }
    }

    private static LettuceConnectionFactory started(LettuceConnectionFactory factory) {
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
