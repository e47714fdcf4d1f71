package org.tertulia.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;
import org.tertulia.protocol.JsonCodec;
import org.tertulia.room.PrivateRoom;
import org.tertulia.room.RoomProperties;

/**
 * A chat endpoint for rehearsals, on {@value #PATH}: the same handshake, upgrade, handler,
 * transport and flush loops as {@code /chat}, in front of a {@link PrivateRoom} instead of the
 * node's room. The warm start opens it, runs a crowd of loopback clients through it and
 * closes it again before the node says it is ready.
 *
 * <p>Closed, it answers every request 404. Open, it lets in only a handshake from this host
 * (loopback, or the address it came in on) that carries the rehearsal's secret (32 random
 * bytes, made when it opens, held only in this process) in {@value #SECRET_HEADER}; anything
 * else gets 404 too, so from outside it looks like no endpoint at all. The secret is what
 * keeps it shut: behind a proxy whose forwarded headers the node honours, the address is the
 * one the proxy reports. Its connections are counted by meters of their own, not the
 * node's, and their opening and closing are logged by the logger
 * {@code org.tertulia.web.ConnectionLog.rehearsal} (WARN by default: silent).
 */
@Component
public final class RehearsalEndpoint {

    /** Where it listens, beside {@code /chat}. */
    public static final String PATH = "/rehearsal/chat";

    /** The header that carries the secret. */
    public static final String SECRET_HEADER = "X-Tertulia-Rehearsal";

    private final RoomProperties roomSettings;
    private final JsonCodec codec;
    private final TaskScheduler roomScheduler;
    private final WebProperties settings;
    private final FlushLoops loops;
    private final TaskScheduler timer;
    private final Executor tasks;
    private final ClientAddresses addresses;
    private final SecureRandom random = new SecureRandom();
    private final Servlet servlet = new Servlet();

    /** The rehearsal under way, if any. */
    private volatile Rehearsal current;

    RehearsalEndpoint(RoomProperties roomSettings, JsonCodec codec,
            @Qualifier("roomScheduler") TaskScheduler roomScheduler, WebProperties settings, FlushLoops loops,
            @Qualifier("webScheduler") TaskScheduler timer, @Qualifier("wsTasks") Executor tasks,
            ClientAddresses addresses) {
        this.roomSettings = roomSettings;
        this.codec = codec;
        this.roomScheduler = roomScheduler;
        this.settings = settings;
        this.loops = loops;
        this.timer = timer;
        this.tasks = tasks;
        this.addresses = addresses;
    }

    /**
     * Opens it, with a new private room and a new secret, which the returned value holds.
     * One rehearsal at a time: a second open while one is under way is refused.
     */
    public synchronized String open() {
        if (current != null) {
            throw new IllegalStateException("a rehearsal is under way already");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        current = new Rehearsal(secret, PrivateRoom.open(roomSettings, codec, roomScheduler));
        return secret;
    }

    /** Closes it: from now on every request gets 404; a connection still open is closed with 1001. */
    public synchronized void close() {
        Rehearsal rehearsal = current;
        current = null;
        if (rehearsal != null) {
            rehearsal.room.close();
        }
    }

    /** Connections open in the rehearsal under way (0 when none is). */
    public int connections() {
        Rehearsal rehearsal = current;
        return rehearsal == null ? 0 : rehearsal.open.size();
    }

    HttpServlet servlet() {
        return servlet;
    }

    /** One opening of the endpoint: its secret, its room and the handshakes in front of it. */
    private final class Rehearsal implements HandshakeInterceptor {

        private final byte[] secret;
        private final PrivateRoom room;
        private final OpenConnections open;
        private final WebSocketHttpRequestHandler handshakes;

        Rehearsal(String secret, PrivateRoom room) {
            this.secret = secret.getBytes(StandardCharsets.US_ASCII);
            this.room = room;
            this.open = new OpenConnections(room.commands());
            WebMetrics metrics = new WebMetrics(new SimpleMeterRegistry(), open);
            ChatWebSocketHandler handler = new ChatWebSocketHandler(room.commands(), codec, open, metrics, settings,
                    ConnectionLog.REHEARSAL);
            this.handshakes = WebSocketConfig.handshakes(handler, loops, metrics, timer, tasks, settings,
                    List.of(this, addresses));
        }

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler handler, Map<String, Object> attributes) {
            if (this != current || !admitted(request)) {
                response.setStatusCode(HttpStatus.NOT_FOUND);
                return false;
            }
            return true;
        }

        private boolean admitted(ServerHttpRequest request) {
            String given = request.getHeaders().getFirst(SECRET_HEADER);
            return fromThisHost(request.getRemoteAddress(), request.getLocalAddress()) && given != null
                    && MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.US_ASCII));
        }

        /** A loopback address, or the very address the node took the connection on. */
        private static boolean fromThisHost(InetSocketAddress from, InetSocketAddress local) {
            return from != null && from.getAddress() != null && (from.getAddress().isLoopbackAddress()
                    || local != null && from.getAddress().equals(local.getAddress()));
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                Exception exception) {
        }
    }

    /** The servlet on {@value #PATH}: the rehearsal's handshakes while one is under way, else 404. */
    private final class Servlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws ServletException, IOException {
            Rehearsal rehearsal = current;
            if (rehearsal == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            rehearsal.handshakes.handleRequest(request, response);
        }
    }
}
