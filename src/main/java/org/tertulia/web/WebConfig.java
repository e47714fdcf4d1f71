package org.tertulia.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The threads of the web layer, named, and shut down by the context once every lifecycle has
 * stopped: they keep taking work while the context closes, because saying goodbye to every
 * connection (close 1001) is work for them.
 */
@Configuration(proxyBeanMethods = false)
class WebConfig {

    /** Drain outboxes. Drains never block (writes are asynchronous), so one thread per core keeps them moving. */
    @Bean
    ThreadPoolTaskExecutor wsWriters() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ThreadPoolTaskExecutor writers = new ThreadPoolTaskExecutor();
        writers.setThreadNamePrefix("ws-writer-");
        writers.setCorePoolSize(threads);
        writers.setMaxPoolSize(threads);
        writers.setDaemon(true);
        writers.setAcceptTasksAfterContextClose(true);
        return writers;
    }

    /** The heartbeat's sweeps and the dropping of connections cut off for not reading. */
    @Bean
    ThreadPoolTaskScheduler webScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("ws-timer-");
        scheduler.setDaemon(true);
        scheduler.setAcceptTasksAfterContextClose(true);
        return scheduler;
    }
}
