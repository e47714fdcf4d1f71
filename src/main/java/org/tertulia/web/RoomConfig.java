package org.tertulia.web;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tertulia.TertuliaProperties;
import org.tertulia.protocol.JsonCodec;
import org.tertulia.room.ChatRoom;
import org.tertulia.room.ConnectionIds;
import org.tertulia.room.InMemoryUsernameRegistry;
import org.tertulia.room.LocalRoomBus;
import org.tertulia.room.RoomBus;
import org.tertulia.room.UsernameRegistry;

/**
 * The room and what it stands on. The registry, the bus and the id source default to one
 * node in memory; cluster mode (tertulia.cluster.mode=redis) defines its own.
 */
@Configuration(proxyBeanMethods = false)
class RoomConfig {

    @Bean
    ChatRoom chatRoom(TertuliaProperties properties, UsernameRegistry registry, RoomBus bus,
            ConnectionIds ids, ScheduledExecutorService roomScheduler) {
        return new ChatRoom(properties.roomSettings(), new JsonCodec(), registry, bus, ids, Clock.systemUTC(),
                roomScheduler);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService roomScheduler() {
        return Executors.newSingleThreadScheduledExecutor(WebSocketConfig.daemon("room-timer-"));
    }

    @Bean
    @ConditionalOnProperty(name = "tertulia.cluster.mode", havingValue = "memory", matchIfMissing = true)
    UsernameRegistry usernameRegistry(TertuliaProperties properties) {
        return new InMemoryUsernameRegistry(properties.maxNameLength());
    }

    @Bean
    @ConditionalOnProperty(name = "tertulia.cluster.mode", havingValue = "memory", matchIfMissing = true)
    RoomBus roomBus() {
        return new LocalRoomBus();
    }

    @Bean
    @ConditionalOnProperty(name = "tertulia.cluster.mode", havingValue = "memory", matchIfMissing = true)
    ConnectionIds connectionIds() {
        AtomicLong next = new AtomicLong();
        return next::incrementAndGet;
    }
}
