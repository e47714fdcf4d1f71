package org.tertulia.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Who a connection comes from, for the log: the address at the other end of the TCP
 * connection, or, when that is a trusted proxy ({@code tertulia.web.trusted-proxies}), the
 * last address in {@code X-Forwarded-For} that is not one. A client cannot make itself look
 * like someone else by sending the header itself, unless it connects from a trusted proxy.
 */
@Component
final class ClientAddresses implements HandshakeInterceptor {

    /** The handshake attribute the address is kept under. */
    static final String ATTRIBUTE = ClientAddresses.class.getName();

    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    private final List<Block> trusted = new ArrayList<>();

    ClientAddresses(WebProperties settings) {
        for (String cidr : settings.trustedProxies()) {
            trusted.add(Block.parse(cidr));
        }
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        attributes.put(ATTRIBUTE, clientOf(peer(request), request.getHeaders().get("X-Forwarded-For")));
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception exception) {
    }

    /** The client behind {@code peer}, given the X-Forwarded-For headers of its request. */
    String clientOf(InetAddress peer, List<String> forwardedFor) {
        if (peer == null) {
            return "unknown";
        }
        if (!isTrusted(peer) || forwardedFor == null) {
            return peer.getHostAddress();
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        // Each proxy appends the address it heard from: walk back from the nearest hop.
        String client = peer.getHostAddress();
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                return client; // not an address: what came before it cannot be trusted either
            }
            client = hop.getHostAddress();
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client;
    }

    private boolean isTrusted(InetAddress address) {
        for (Block block : trusted) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The TCP peer: under Jetty, past what its forwarded-headers handling makes of the request. */
    private static InetAddress peer(ServerHttpRequest request) {
        SocketAddress address = null;
        if (request instanceof ServletServerHttpRequest servlet) {
            ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(servlet.getServletRequest());
            if (jetty != null) {
                address = jetty.getConnectionMetaData().getConnection().getEndPoint().getRemoteSocketAddress();
            }
        }
        if (address == null) {
            address = request.getRemoteAddress();
        }
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /** An IP address written as one, never looked up by name. */
    private static InetAddress literal(String text) {
        if (!LITERAL.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A block of addresses, {@code 10.0.0.0/8} or {@code ::1/128}. */
    record Block(byte[] network, int bits) {

        static Block parse(String cidr) {
            int slash = cidr.indexOf('/');
            InetAddress address = literal(slash < 0 ? cidr.trim() : cidr.substring(0, slash).trim());
            if (address == null) {
                throw new IllegalArgumentException("not an address block: " + cidr);
            }
            byte[] network = address.getAddress();
            int bits = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1).trim());
            return new Block(network, bits);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
