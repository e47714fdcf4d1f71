package org.tertulia.room;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.tertulia.protocol.MessageEncoder;

/**
 * The room's two halves and what they stand on. The registry, the bus and the id source
 * default to one node in memory; cluster mode ({@code tertulia.cluster.mode=redis}) brings
 * its own.
 */
@Configuration(proxyBeanMethods = false)
class RoomConfig {

    @Bean
    RoomMetrics roomMetrics(MeterRegistry registry) {
        return new RoomMetrics(registry);
    }

    @Bean
    RoomView roomView(RoomProperties settings, MessageEncoder encoder,
            @Qualifier("roomScheduler") ThreadPoolTaskScheduler roomScheduler, RoomMetrics metrics) {
        RoomView view = new RoomView(settings, encoder, roomScheduler, metrics);
        metrics.signedIn(view::signedIn);
        return view;
    }

    @Bean
    RoomCommands roomCommands(RoomProperties settings, MessageEncoder encoder, UsernameRegistry registry,
            RoomBus bus, ConnectionIds ids, RoomView view, RoomMetrics metrics) {
        return new RoomCommands(settings, encoder, registry, bus, ids, Clock.systemUTC(), view, metrics);
    }

    /** Health contributor "room": in the readiness group (application.yml). */
    @Bean
    RoomHealth roomHealthIndicator(RoomBus bus, RoomView view) {
        return new RoomHealth(bus, view);
    }

    @Bean
    RoomBusLifecycle roomBusLifecycle(RoomBus bus, RoomView view) {
        return new RoomBusLifecycle(bus, view);
    }

    /**
     * Paces userlists; one thread is plenty, and the context shuts it down. It takes tasks
     * until then: while a node shuts down, the room still applies events (in a cluster, the
     * leaves of its own users as they go), and a userlist they change must not fail the event.
     */
    @Bean
    ThreadPoolTaskScheduler roomScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("room-timer-");
        scheduler.setDaemon(true);
        scheduler.setAcceptTasksAfterContextClose(true);
        return scheduler;
    }

    /** One node, everything in memory: the default. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "tertulia.cluster.mode", havingValue = "memory", matchIfMissing = true)
    static class SingleNode {

        @Bean
        UsernameRegistry usernameRegistry(RoomProperties settings) {
            return new InMemoryUsernameRegistry(settings.maxNameLength(), settings.resumeGrace(), System::nanoTime);
        }

        @Bean
        RoomBus roomBus() {
            return new LocalRoomBus();
        }

        @Bean
        ConnectionIds connectionIds() {
            AtomicLong last = new AtomicLong();
            return last::incrementAndGet;
        }
    }
}
