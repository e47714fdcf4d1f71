package org.tertulia.web;

import java.util.Map;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/**
 * Spring's origin check (same origin, plus {@code tertulia.web.allowed-origins}; anything
 * else gets 403), counting what it refuses.
 */
@Component
final class OriginCheck extends OriginHandshakeInterceptor {

    private final WebMetrics metrics;

    OriginCheck(WebProperties settings, WebMetrics metrics) {
        this.metrics = metrics;
        setAllowedOriginPatterns(settings.allowedOrigins());
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) throws Exception {
        boolean allowed = super.beforeHandshake(request, response, handler, attributes);
        if (!allowed) {
            metrics.refusedOrigin();
        }
        return allowed;
    }
}
