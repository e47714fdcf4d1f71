package org.tertulia.web;

import java.time.Duration;

import jakarta.servlet.ServletContext;

import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.ServletContextAware;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/** The {@code /chat} endpoint: handshake rules and the container's limits. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer, ServletContextAware {

    private final WebProperties settings;
    private final ChatWebSocketHandler handler;
    private final OriginCheck origins;
    private final ConnectionCap cap;
    private final ClientAddresses addresses;
    private volatile ServletContext servletContext;

    WebSocketConfig(WebProperties settings, ChatWebSocketHandler handler, OriginCheck origins, ConnectionCap cap,
            ClientAddresses addresses) {
        this.settings = settings;
        this.handler = handler;
        this.origins = origins;
        this.cap = cap;
        this.addresses = addresses;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        long limit = settings.maxFrameSize().toBytes();
        // Jetty fails a connection the moment a frame's header announces more than its cap,
        // with the rest of the frame unread: the peer then often gets a reset before the
        // close frame. So Jetty's cap sits well above the limit, as a guard on memory only,
        // and the handler closes a message over the limit with 1009 after reading it whole.
        long maxFrame = Math.max(4 * limit, limit + 65_536);
        // Jetty's own idle timeout would close a quiet chat after 30 s; the heartbeat judges
        // liveness, and this only backs it up.
        Duration idle = settings.heartbeat().interval().plus(settings.heartbeat().timeout()).multipliedBy(2);
        JettyRequestUpgradeStrategy jetty = new JettyRequestUpgradeStrategy();
        jetty.addWebSocketConfigurer(container -> {
            container.setMaxTextMessageSize(maxFrame);
            container.setMaxBinaryMessageSize(maxFrame);
            container.setMaxFrameSize(maxFrame);
            container.setIdleTimeout(idle);
            declineCompression();
        });
        // Same origin is always allowed; allowed-origins adds to it. A foreign Origin gets 403
        // from OriginCheck, which counts it; Spring's own check, which it always adds last, is
        // told the same origins and so never refuses what OriginCheck let through.
        registry.addHandler(handler, "/chat")
                .setHandshakeHandler(new DefaultHandshakeHandler(jetty))
                .addInterceptors(origins, cap, addresses)
                .setAllowedOriginPatterns(settings.allowedOrigins().toArray(String[]::new));
    }

    /**
     * Takes permessage-deflate out of Jetty's extensions (browsers offer it, and Jetty accepts
     * it whatever Spring selects): compressing each broadcast separately for every recipient
     * would cost more than the fan-out itself. Idempotent; runs before each upgrade.
     */
    private void declineCompression() {
        Object components = servletContext == null ? null
                : servletContext.getAttribute(WebSocketServerComponents.WEBSOCKET_COMPONENTS_ATTRIBUTE);
        if (components instanceof WebSocketComponents jetty
                && jetty.getExtensionRegistry().isAvailable("permessage-deflate")) {
            jetty.getExtensionRegistry().unregister("permessage-deflate");
        }
    }

    @Override
    public void setServletContext(ServletContext servletContext) {
        this.servletContext = servletContext;
    }
}
