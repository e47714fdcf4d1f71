package org.tertulia.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.support.Eventually.within;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * After a burst, Jetty's request pool gives back every thread that stayed idle for its idle
 * timeout, not one per timeout: here, 60 extra threads are gone within a few timeouts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.jetty.threads.idle-timeout=500ms" })
class IdleThreadsTest {

    @Autowired
    WebServerApplicationContext context;

    @Test
    void idleThreadsGoTogetherAfterABurst() throws Exception {
        QueuedThreadPool pool = (QueuedThreadPool) ((JettyWebServer) context.getWebServer()).getServer()
                .getThreadPool();
        int before = pool.getThreads();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(60);
        for (int i = 0; i < 60; i++) {
            pool.execute(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        started.await();
        assertThat(pool.getThreads()).isGreaterThanOrEqualTo(60);
        release.countDown();
        // One thread per timeout (Jetty's default) would take 30 s to shed these 60.
        within("the burst's threads to go", Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pool.getThreads()).isLessThanOrEqualTo(Math.max(before, pool.getMinThreads()) + 2));
    }
}
