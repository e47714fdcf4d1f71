package org.tertulia.web;

import java.util.concurrent.Executor;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/** The {@code /chat} endpoint: handshake rules, and the upgrade to this server's own WebSocket transport. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {

    private final WebProperties settings;
    private final ChatWebSocketHandler handler;
    private final OriginCheck origins;
    private final ConnectionCap cap;
    private final ClientAddresses addresses;
    private final ChatUpgradeStrategy upgrades;

    WebSocketConfig(WebProperties settings, ChatWebSocketHandler handler, OriginCheck origins, ConnectionCap cap,
            ClientAddresses addresses, FlushLoops loops, WebMetrics metrics,
            @Qualifier("webScheduler") TaskScheduler timer, @Qualifier("wsTasks") Executor tasks) {
        this.settings = settings;
        this.handler = handler;
        this.origins = origins;
        this.cap = cap;
        this.addresses = addresses;
        this.upgrades = new ChatUpgradeStrategy(loops, metrics, timer, tasks, settings);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Same origin is always allowed; allowed-origins adds to it. A foreign Origin gets 403
        // from OriginCheck, which counts it; Spring's own check, which it always adds last, is
        // told the same origins and so never refuses what OriginCheck let through.
        registry.addHandler(handler, "/chat")
                .setHandshakeHandler(new DefaultHandshakeHandler(upgrades))
                .addInterceptors(origins, cap, addresses)
                .setAllowedOriginPatterns(settings.allowedOrigins().toArray(String[]::new));
    }
}
