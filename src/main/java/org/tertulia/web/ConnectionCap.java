package org.tertulia.web;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.tertulia.room.RoomCommands;

/**
 * Refuses the handshake with 503 while the node is not in the room (starting, or already
 * shutting down: {@link RoomCommands#isOpen()}), and once it holds its maximum of
 * connections. Two handshakes racing past the cap are caught after the upgrade (close 1013).
 */
@Component
final class ConnectionCap implements HandshakeInterceptor {

    private final RoomCommands room;
    private final OpenConnections open;
    private final WebMetrics metrics;
    private final int maxConnections;

    ConnectionCap(RoomCommands room, OpenConnections open, WebMetrics metrics, WebProperties settings) {
        this.room = room;
        this.open = open;
        this.metrics = metrics;
        this.maxConnections = settings.maxConnections();
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        if (!room.isOpen()) {
            metrics.refusedNotReady();
            response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
            return false;
        }
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
