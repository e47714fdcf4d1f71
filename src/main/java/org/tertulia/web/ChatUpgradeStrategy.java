package org.tertulia.web;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.ee11.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.util.Blocker;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.RequestUpgradeStrategy;

/**
 * Upgrades a handshake that Spring has checked (method, headers, version, origin,
 * subprotocol) to a {@link ChatSocket} on Jetty's own socket: answers 101 with the accept key
 * and the chosen subprotocol, and hands the connection to Jetty to take over once the answer
 * is written. No extension is offered: compressing each broadcast for every recipient apart
 * would cost more than the fan-out itself.
 */
final class ChatUpgradeStrategy implements RequestUpgradeStrategy {

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final FlushLoops loops;
    private final WebMetrics metrics;
    private final TaskScheduler timer;
    private final java.util.concurrent.Executor tasks;
    private final long maxMessageBytes;
    private final long maxQueuedBytes;
    private final long idleTimeoutMillis;

    ChatUpgradeStrategy(FlushLoops loops, WebMetrics metrics, TaskScheduler timer, java.util.concurrent.Executor tasks,
            WebProperties settings) {
        this.loops = loops;
        this.metrics = metrics;
        this.timer = timer;
        this.tasks = tasks;
        this.maxMessageBytes = settings.maxFrameSize().toBytes();
        this.maxQueuedBytes = settings.outbox().maxQueued().toBytes();
        // Jetty's idle timeout would close a quiet chat after 30 s; the heartbeat judges
        // liveness, and this only backs it up.
        this.idleTimeoutMillis = settings.heartbeat().interval().plus(settings.heartbeat().timeout()).multipliedBy(2)
                .toMillis();
    }

    @Override
    public String[] getSupportedVersions() {
        return new String[] {"13"};
    }

    @Override
    public List<WebSocketExtension> getSupportedExtensions(ServerHttpRequest request) {
        return List.of();
    }

    @Override
    public void upgrade(ServerHttpRequest request, ServerHttpResponse response, String protocol,
            List<WebSocketExtension> extensions, Principal user, WebSocketHandler handler,
            Map<String, Object> attributes) throws HandshakeFailureException {
        HttpServletRequest servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
        ServletContextRequest jettyRequest = ServletContextRequest.getServletContextRequest(servletRequest);
        if (jettyRequest == null) {
            throw new HandshakeFailureException("not a request Jetty served: cannot take over its socket");
        }
        ServletContextResponse jettyResponse = jettyRequest.getServletContextResponse();
        ConnectionMetaData connection = jettyRequest.getConnectionMetaData();
        EndPoint endPoint = connection.getConnection().getEndPoint();

        ChatSocketSession session = new ChatSocketSession(request.getURI(), HttpHeaders.copyOf(request.getHeaders()),
                attributes, user, (InetSocketAddress) request.getLocalAddress(),
                (InetSocketAddress) request.getRemoteAddress(), protocol);
        ChatSocket socket = new ChatSocket(endPoint, connection.getConnector().getExecutor(),
                connection.getConnector().getByteBufferPool(), handler, session, maxMessageBytes, timer, tasks);
        socket.outbox(new SessionOutbox(socket, loops.loopFor(Long.parseLong(session.getId())), maxQueuedBytes, timer,
                metrics));
        session.initializeNativeSession(socket);
        endPoint.setIdleTimeout(idleTimeoutMillis);

        jettyResponse.setStatus(HttpStatus.SWITCHING_PROTOCOLS_101);
        jettyResponse.getHeaders().put(HttpHeader.UPGRADE, "websocket");
        jettyResponse.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
        jettyResponse.getHeaders().put(HttpHeader.SEC_WEBSOCKET_ACCEPT,
                accept(request.getHeaders().getFirst("Sec-WebSocket-Key")));
        if (protocol != null) {
            jettyResponse.getHeaders().put(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL, protocol);
        }
        // Jetty's HTTP connection hands its socket to this one once the 101 is out.
        jettyRequest.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, socket);
        try (Blocker.Callback written = Blocker.callback()) {
            jettyResponse.write(true, null, written);
            written.block();
        } catch (Exception e) {
            throw new HandshakeFailureException("could not answer the handshake", e);
        }
    }

    /** The Sec-WebSocket-Accept for a client's key (RFC 6455, 4.2.2). */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key.trim() + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-1", e);
        }
    }
}
