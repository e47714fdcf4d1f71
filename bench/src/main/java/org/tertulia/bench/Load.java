package org.tertulia.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.EventExecutor;

/**
 * The client side of the load: one small shared group of event loops (non-blocking I/O,
 * two threads by default) carrying every simulated client's WebSocket, and one more event
 * loop for the first S clients of every crowd, the fan-out senders. The senders have their
 * own loop so that their sending (a paced schedule, or the next message of a window) is not
 * held up behind the reads of hundreds of receiving sockets. With several server URLs (the
 * nodes of a cluster) client i connects to URL i % n.
 */
final class Load implements AutoCloseable {

    /** Largest frame we accept: a userlist of 20,000 names is about 300 KB. */
    static final int MAX_FRAME = 16 * 1024 * 1024;

    private final List<URI> uris;
    private final InetSocketAddress[] addresses;
    private final EventLoopGroup group;
    private final EventLoopGroup senderGroup;
    private final int senders;
    private final Bootstrap base;
    private final Map<EventExecutor, Integer> slots = new IdentityHashMap<>();
    private final int threads;
    private final long handshakeTimeoutMillis;

    Load(List<URI> uris, int threads, int senders, long handshakeTimeoutMillis) {
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("no server URL");
        }
        this.uris = List.copyOf(uris);
        this.threads = threads;
        this.senders = senders;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.addresses = new InetSocketAddress[uris.size()];
        for (int i = 0; i < uris.size(); i++) {
            addresses[i] = new InetSocketAddress(uris.get(i).getHost(), uris.get(i).getPort());
        }
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.senderGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        int i = 0;
        for (EventExecutor executor : group) {
            slots.put(executor, i++);
        }
        slots.put(senderGroup.next(), i);
        this.base = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) handshakeTimeoutMillis);
    }

    /** How many event loops carry clients (the receivers' and the senders'), for per-thread statistics. */
    int loops() {
        return threads + 1;
    }

    /** The index of one of the event loops, 0 to loops() - 1, for per-thread statistics. */
    int slot(EventExecutor loop) {
        Integer slot = slots.get(loop);
        return slot == null ? 0 : slot;
    }

    /**
     * Starts connecting one client, the {@code index}-th of its crowd, to server URL
     * {@code index % (number of URLs)}, on the senders' loop if it is one of the first S;
     * everything after happens on its event loop.
     */
    ChannelFuture connect(ChatClient client, int index) {
        int server = Math.floorMod(index, uris.size());
        URI uri = uris.get(server);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol("json")
                .maxFramePayloadLength(MAX_FRAME)
                .handleCloseFrames(false)
                .handshakeTimeoutMillis(handshakeTimeoutMillis)
                .generateOriginHeader(false)
                .withUTF8Validator(false)
                .build();
        return base.clone(index < senders ? senderGroup : group)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(
                                new HttpClientCodec(),
                                new HttpObjectAggregator(65536),
                                new WebSocketClientProtocolHandler(config),
                                // Tomcat splits long messages (a big userlist) into continuation frames.
                                new WebSocketFrameAggregator(MAX_FRAME),
                                client);
                    }
                })
                .connect(addresses[server]);
    }

    /** Runs a no-op on every event loop and waits: afterwards their plain writes are visible here. */
    void barrier() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(loops());
        for (EventExecutor executor : slots.keySet()) {
            executor.execute(latch::countDown);
        }
        latch.await(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        senderGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        senderGroup.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
