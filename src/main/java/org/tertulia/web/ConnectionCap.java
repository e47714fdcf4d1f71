package org.tertulia.web;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses the handshake with 503 once the node holds its maximum of connections. Two
 * handshakes racing past this check are caught after the upgrade (close 1013).
 */
@Component
final class ConnectionCap implements HandshakeInterceptor {

    private final OpenConnections open;
    private final WebMetrics metrics;
    private final int maxConnections;

    ConnectionCap(OpenConnections open, WebMetrics metrics, WebProperties settings) {
        this.open = open;
        this.metrics = metrics;
        this.maxConnections = settings.maxConnections();
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        if (open.size() >= maxConnections) {
            metrics.refusedFull();
            response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
            return false;
        }
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception exception) {
    }
}
