package org.tertulia.web;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Gives the node's listening sockets a listen backlog of {@code tertulia.web.accept-backlog}.
 * Jetty asks for none and so gets Java's 50: when a crowd reconnects at once (a node
 * restarted, a network came back), handshakes beyond those 50 that Jetty has not yet taken
 * are dropped by the kernel, and each of those clients waits a second or more before trying again.
 */
@Component
final class AcceptBacklog implements WebServerFactoryCustomizer<JettyServletWebServerFactory> {

    private final int backlog;

    AcceptBacklog(WebProperties settings) {
        this.backlog = settings.acceptBacklog();
    }

    @Override
    public void customize(JettyServletWebServerFactory factory) {
        factory.addServerCustomizers(server -> {
            for (Connector connector : server.getConnectors()) {
                if (connector instanceof ServerConnector listening) {
                    listening.setAcceptQueueSize(backlog);
                }
            }
        });
    }
}
