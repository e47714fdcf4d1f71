package org.tertulia.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder between browsers and the server, to break connections in ways a test
 * chooses. A browser loads the page from {@link #http()}, so the page's socket (same
 * origin, built from {@code location}) goes through it as well.
 *
 * <ul>
 * <li>{@link #cutClientSide()}: the browser sees its connections drop, while the server's
 *     ends stay open and silent: as when a phone loses its network, the server notices
 *     nothing (until its heartbeat, 25 s later by default).</li>
 * <li>{@link #cutBothSides()}: both ends see the connection close.</li>
 * <li>{@link #refuseNewConnections()}: new connections are reset as soon as they are
 *     accepted, so a page stays cut off for as long as a test needs.</li>
 * <li>{@link #forwardTo}: new connections go to another server, as a load balancer sends
 *     a returning client to another node.</li>
 * </ul>
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private volatile InetSocketAddress upstream;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean refusing;

    private TcpProxy(ServerSocket listener, InetSocketAddress upstream) {
        this.listener = listener;
        this.upstream = upstream;
        daemon("proxy-accept-" + listener.getLocalPort(), this::acceptLoop).start();
    }

    /** A proxy on a free port of 127.0.0.1 forwarding to the server at {@code server} (http://host:port). */
    static TcpProxy to(URI server) {
        try {
            ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            return new TcpProxy(listener, new InetSocketAddress(server.getHost(), server.getPort()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1", e);
        }
    }

    /** Where browsers load the page through this proxy. */
    URI http() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** New connections go to {@code server} (http://host:port) from now on; open ones stay where they are. */
    void forwardTo(URI server) {
        upstream = new InetSocketAddress(server.getHost(), server.getPort());
    }

    void refuseNewConnections() {
        refusing = true;
    }

    void acceptNewConnections() {
        refusing = false;
    }

    /** Connections reset since the proxy started refusing: each is one try by a page to come back. */
    int refusedCount() {
        return refused.get();
    }

    /** Drops every connection on the browser's side only; the server's sides stay open and hear nothing. */
    void cutClientSide() {
        for (Link link : links) {
            link.cutClientSide();
        }
    }

    /** Closes every connection on both sides. */
    void cutBothSides() {
        for (Link link : links) {
            link.close();
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // Closing is best effort: the port goes with the JVM at the latest.
        }
        cutBothSides();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (refusing) {
                refused.incrementAndGet();
                reset(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(upstream, 5_000);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                reset(client);
            }
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // an RST: the browser fails the handshake at once
            socket.close();
        } catch (IOException e) {
            // Already gone.
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /** One browser connection and its server connection, copied both ways by two threads. */
    private final class Link {

        private final Socket client;
        private final Socket server;
        private volatile boolean clientCut;

        Link(Socket client, Socket server) throws IOException {
            this.client = client;
            this.server = server;
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
        }

        void start() {
            int port = client.getPort();
            daemon("proxy-up-" + port, this::browserToServer).start();
            daemon("proxy-down-" + port, this::serverToBrowser).start();
        }

        private void browserToServer() {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = client.getInputStream()) {
                OutputStream out = server.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // Either side went away; decided below.
            }
            if (!clientCut) {
                close();
            }
        }

        private void serverToBrowser() {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = server.getInputStream()) {
                OutputStream out = client.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    // Once cut, keep reading and drop it: a server whose writes stall would
                    // notice (send timeout, slow-reader limit); one whose peer reads on does not.
                    if (!clientCut) {
                        try {
                            out.write(buffer, 0, n);
                            out.flush();
                        } catch (IOException e) {
                            if (!clientCut) {
                                throw e;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // Either side went away.
            }
            close();
        }

        void cutClientSide() {
            clientCut = true;
            try {
                client.close();
            } catch (IOException e) {
                // Already gone.
            }
        }

        void close() {
            links.remove(this);
            for (Socket socket : new Socket[] {client, server}) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Already gone.
                }
            }
        }
    }
}
