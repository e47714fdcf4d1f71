package org.tertulia.web;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * The {@code /chat} endpoint: Spring's handshake (method, headers, version, subprotocol) with
 * our checks in front of it (origin, the node's readiness and connection cap, the client's
 * address), then the upgrade to this server's own WebSocket transport.
 *
 * <p>The endpoint is a servlet of its own, mapped to exactly {@value #PATH}, rather than a
 * route of Spring MVC's {@code DispatcherServlet}: a handshake has no use for MVC's handler
 * lookup, and on a server that has just (re)started, when every client comes back at once, the
 * handshake is most of the work. For the same reason it is not timed as an HTTP request
 * ({@code http.server.requests}): our own metrics count connections and refused handshakes.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketConfig {

    static final String PATH = "/chat";

    @Bean
    ServletRegistrationBean<ChatEndpoint> chatEndpoint(WebProperties settings, ChatWebSocketHandler handler,
            OriginCheck origins, ConnectionCap cap, ClientAddresses addresses, FlushLoops loops, WebMetrics metrics,
            @Qualifier("webScheduler") TaskScheduler timer, @Qualifier("wsTasks") Executor tasks) {
        // A foreign Origin gets 403 from OriginCheck, which counts it, before anything else
        // looks at the request.
        WebSocketHttpRequestHandler handshakes = handshakes(handler, loops, metrics, timer, tasks, settings,
                List.of(origins, cap, addresses));
        ServletRegistrationBean<ChatEndpoint> registration = new ServletRegistrationBean<>(
                new ChatEndpoint(handshakes), PATH);
        registration.setName("chat");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /**
     * Spring's handshake for {@code handler}, behind {@code interceptors}, upgrading to this
     * server's own transport: what {@value #PATH} runs, and a rehearsal ({@link RehearsalEndpoint}) too.
     */
    static WebSocketHttpRequestHandler handshakes(ChatWebSocketHandler handler, FlushLoops loops, WebMetrics metrics,
            TaskScheduler timer, Executor tasks, WebProperties settings, List<HandshakeInterceptor> interceptors) {
        WebSocketHttpRequestHandler handshakes = new WebSocketHttpRequestHandler(handler,
                new DefaultHandshakeHandler(new ChatUpgradeStrategy(loops, metrics, timer, tasks, settings)));
        handshakes.setHandshakeInterceptors(interceptors);
        return handshakes;
    }

    /** The rehearsal's endpoint, beside {@value #PATH}: 404 unless a warm start has opened it. */
    @Bean
    ServletRegistrationBean<HttpServlet> rehearsalServlet(RehearsalEndpoint rehearsal) {
        ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(rehearsal.servlet(),
                RehearsalEndpoint.PATH);
        registration.setName("rehearsal");
        return registration;
    }

    /**
     * Handshakes on {@value #PATH} are not timed as HTTP requests (see the class comment), nor
     * is anything on the rehearsal's endpoint: what a warm start does stays out of the metrics.
     */
    @Bean
    ObservationPredicate noHandshakeObservations() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && (PATH.equals(request.getCarrier().getServletPath())
                        || RehearsalEndpoint.PATH.equals(request.getCarrier().getServletPath())));
    }

    /** Hands every request on {@value #PATH} to Spring's handshake. */
    static final class ChatEndpoint extends HttpServlet {

        private static final long serialVersionUID = 1L;

        private final transient WebSocketHttpRequestHandler handshakes;

        ChatEndpoint(WebSocketHttpRequestHandler handshakes) {
            this.handshakes = handshakes;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws ServletException, IOException {
            handshakes.handleRequest(request, response);
        }
    }
}
