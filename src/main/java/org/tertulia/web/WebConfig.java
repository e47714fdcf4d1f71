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

    /** The flush loops ({@link FlushLoops}): one per core, as writes never block. */
    @Bean
    ThreadPoolTaskExecutor wsFlushers() {
        return pool("ws-flush-", Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** Odd jobs that must not run where they arise: telling the room of a connection cut off for not reading. */
    @Bean
    ThreadPoolTaskExecutor wsTasks() {
        return pool("ws-task-", 2);
    }

    private static ThreadPoolTaskExecutor pool(String prefix, int threads) {
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setThreadNamePrefix(prefix);
        pool.setCorePoolSize(threads);
        pool.setMaxPoolSize(threads);
        pool.setDaemon(true);
        pool.setAcceptTasksAfterContextClose(true);
        return pool;
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
