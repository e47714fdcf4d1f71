package org.tertulia.web;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.adapter.AbstractWebSocketSession;
import org.tertulia.protocol.Frame;

/**
 * A {@link ChatSocket} as Spring's {@code WebSocketSession}, so a plain Spring
 * {@code WebSocketHandler} speaks through it. Sending text queues one frame in the
 * connection's outbox; the chat handler goes to the outbox itself, for the room's frames.
 */
final class ChatSocketSession extends AbstractWebSocketSession<ChatSocket> {

    private static final AtomicLong IDS = new AtomicLong();

    private final String id = Long.toString(IDS.incrementAndGet());
    private final URI uri;
    private final HttpHeaders headers;
    private final Principal user;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final String protocol;
    private volatile CloseStatus closedWith;
    private int textLimit = Integer.MAX_VALUE;
    private int binaryLimit = Integer.MAX_VALUE;

    ChatSocketSession(URI uri, HttpHeaders headers, Map<String, Object> attributes, Principal user,
            InetSocketAddress local, InetSocketAddress remote, String protocol) {
        super(attributes);
        this.uri = uri;
        this.headers = headers;
        this.user = user;
        this.local = local;
        this.remote = remote;
        this.protocol = protocol;
    }

    /** The connection's outbox. */
    SessionOutbox outbox() {
        return getNativeSession().outbox();
    }

    /** The socket closed, as {@code how} tells the handler (the client's close status, or none). */
    void closed(CloseStatus how) {
        closedWith = how;
    }

    /**
     * How it closed, as the handler hears it; null while it is open (the socket always tells
     * a status, {@code NO_CLOSE_FRAME} at least, so {@link #isOpen} can read this).
     */
    CloseStatus closedWith() {
        return closedWith;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public HttpHeaders getHandshakeHeaders() {
        return headers;
    }

    @Override
    public Principal getPrincipal() {
        return user;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return local;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return remote;
    }

    @Override
    public String getAcceptedProtocol() {
        return protocol;
    }

    @Override
    public void setTextMessageSizeLimit(int limit) {
        textLimit = limit;
    }

    @Override
    public int getTextMessageSizeLimit() {
        return textLimit;
    }

    @Override
    public void setBinaryMessageSizeLimit(int limit) {
        binaryLimit = limit;
    }

    @Override
    public int getBinaryMessageSizeLimit() {
        return binaryLimit;
    }

    @Override
    public List<WebSocketExtension> getExtensions() {
        return List.of();
    }

    @Override
    public boolean isOpen() {
        return closedWith == null;
    }

    @Override
    protected void sendTextMessage(TextMessage message) {
        SessionOutbox outbox = outbox();
        if (outbox.offer(Frame.of(message.getPayload()))) {
            outbox.flush(1);
        }
    }

    @Override
    protected void sendBinaryMessage(BinaryMessage message) {
        throw new UnsupportedOperationException("this protocol is text only");
    }

    @Override
    protected void sendPingMessage(PingMessage message) {
        outbox().ping();
    }

    @Override
    protected void sendPongMessage(PongMessage message) {
        outbox().control(SessionOutbox.pongFrame(new byte[0]));
    }

    @Override
    protected void closeInternal(CloseStatus status) {
        outbox().close(status.getCode(), status.getReason() == null ? "" : status.getReason());
    }
}
