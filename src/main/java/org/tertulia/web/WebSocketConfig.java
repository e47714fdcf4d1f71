package org.tertulia.web;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.tertulia.TertuliaProperties;
import org.tertulia.room.ChatRoom;

/** The {@code /chat} endpoint: handshake rules, container limits and the threads the web layer needs. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {

    private final TertuliaProperties properties;
    private final ChatWebSocketHandler handler;

    WebSocketConfig(TertuliaProperties properties, ChatRoom room) {
        this.properties = properties;
        this.handler = new ChatWebSocketHandler(room, properties, closer());
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Same origin is always allowed; allowed-origins adds to it. A foreign Origin gets 403.
        registry.addHandler(handler, "/chat")
                .addInterceptors(new ConnectionCap())
                .setAllowedOriginPatterns(properties.allowedOrigins().toArray(String[]::new));
    }

    @Bean
    ChatWebSocketHandler chatWebSocketHandler() {
        return handler;
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        int maxFrame = (int) properties.maxFrameSize().toBytes();
        container.setMaxTextMessageBufferSize(maxFrame);
        container.setMaxBinaryMessageBufferSize(maxFrame);
        container.setAsyncSendTimeout(properties.outbox().sendTimeout().toMillis());
        return container;
    }

    @Bean
    Heartbeat heartbeat(ScheduledExecutorService roomScheduler) {
        return new Heartbeat(handler, roomScheduler, properties.heartbeat());
    }

    @Bean
    GoingAway goingAway(ChatRoom room) {
        return new GoingAway(room, handler);
    }

    private static ExecutorService closer() {
        return Executors.newFixedThreadPool(8, daemon("ws-closer-"));
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Refuses the handshake with 503 once the node holds its maximum of connections. */
    private final class ConnectionCap implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler wsHandler, Map<String, Object> attributes) {
            if (handler.connections().size() >= properties.maxConnections()) {
                response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
                return false;
            }
            return true;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler wsHandler, Exception exception) {
        }
    }
}
