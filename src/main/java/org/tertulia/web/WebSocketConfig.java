package org.tertulia.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletContext;

import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.context.ServletContextAware;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.tertulia.TertuliaProperties;
import org.tertulia.room.ChatRoom;

/** The {@code /chat} endpoint: handshake rules, container limits and the threads the web layer needs. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer, ServletContextAware, DisposableBean {

    private final TertuliaProperties properties;
    private final ExecutorService writers;
    private final ChatWebSocketHandler handler;
    private volatile ServletContext servletContext;

    WebSocketConfig(TertuliaProperties properties, ChatRoom room) {
        this.properties = properties;
        // Drains never block (writes are asynchronous), so one thread per core keeps them moving.
        this.writers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemon("ws-writer-"));
        this.handler = new ChatWebSocketHandler(room, properties, writers);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Jetty fails a connection the moment a frame's header announces more than its cap,
        // with the rest of the frame unread: the peer then often gets a reset before the
        // close frame. So Jetty's cap sits well above the limit, as a guard on memory only,
        // and the handler closes a message over the limit with 1009 after reading it whole.
        long maxFrame = Math.max(4 * properties.maxFrameSize().toBytes(), properties.maxFrameSize().toBytes() + 65_536);
        // Jetty's own idle timeout would close a quiet chat after 30 s; the heartbeat judges
        // liveness, and this only backs it up.
        Duration idle = properties.heartbeat().interval().plus(properties.heartbeat().timeout()).multipliedBy(2);
        JettyRequestUpgradeStrategy jetty = new JettyRequestUpgradeStrategy();
        jetty.addWebSocketConfigurer(container -> {
            container.setMaxTextMessageSize(maxFrame);
            container.setMaxBinaryMessageSize(maxFrame);
            container.setMaxFrameSize(maxFrame);
            container.setIdleTimeout(idle);
            declineCompression();
        });
        // Same origin is always allowed; allowed-origins adds to it. A foreign Origin gets 403.
        registry.addHandler(handler, "/chat")
                .setHandshakeHandler(new DefaultHandshakeHandler(jetty))
                .addInterceptors(new ConnectionCap())
                .setAllowedOriginPatterns(properties.allowedOrigins().toArray(String[]::new));
    }

    @Bean
    ChatWebSocketHandler chatWebSocketHandler() {
        return handler;
    }

    @Bean
    Heartbeat heartbeat(ScheduledExecutorService roomScheduler) {
        return new Heartbeat(handler, roomScheduler, properties.heartbeat(), properties.outbox().sendTimeout());
    }

    @Bean
    GoingAway goingAway(ChatRoom room) {
        return new GoingAway(room, handler);
    }

    @Override
    public void destroy() {
        writers.shutdown();
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
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
