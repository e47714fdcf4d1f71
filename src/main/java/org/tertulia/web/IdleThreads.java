package org.tertulia.web;

import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Lets Jetty's pool of request threads shed every thread that has been idle for its idle
 * timeout ({@code server.jetty.threads.idle-timeout}, 60 s), where Jetty's default sheds one
 * per timeout. A join storm on a busy core grows the pool to its maximum (200 threads, one
 * per queued job), and a pool that sheds one a minute would keep most of them, and their
 * stacks' memory, for hours after the storm.
 */
@Component
final class IdleThreads implements WebServerFactoryCustomizer<JettyServletWebServerFactory> {

    @Override
    public void customize(JettyServletWebServerFactory factory) {
        factory.addServerCustomizers(server -> {
            if (server.getThreadPool() instanceof QueuedThreadPool pool) {
                pool.setMaxEvictCount(pool.getMaxThreads());
            }
        });
    }
}
