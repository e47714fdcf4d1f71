package org.tertulia.robustness;

import static org.tertulia.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.robustness.Wire.headers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.tertulia.room.RoomView;
import org.tertulia.support.ChatClient;
import org.tertulia.support.RawWebSocket;
import org.tertulia.support.ServerUnderTest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The handshake: who may open a socket (same origin, the configured extra origin, clients
 * that send no Origin; a proxy's X-Forwarded-* counted) and how many may be open at once.
 */
@SmallServer
class HandshakeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    RoomView room;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void emptyServer() {
        // Names too: a departure leaves the connections before it frees its name.
        eventually("the room empty of earlier tests' connections and names")
                .until(() -> room.connections() == 0 && room.names().isEmpty());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    @Test
    void crossSiteHandshakeIsRefusedWith403() {
        assertThat(handshake(headers("Origin", "http://evil.example")).status()).isEqualTo(403);
        assertThat(handshake(headers("Origin", "http://127.0.0.1:" + (port + 1))).status()).isEqualTo(403);
        assertThat(handshake(headers("Origin", "https://127.0.0.1:" + port)).status()).isEqualTo(403);
        assertThat(handshake(headers("Origin", "null")).status()).isEqualTo(403);
        assertThat(room.connections()).isZero();
    }

    @Test
    void sameOriginHandshakeIsAccepted() {
        assertChatsAfterHandshake(headers("Origin", "http://127.0.0.1:" + port));
    }

    @Test
    void pageServedUnderAnyHostNameAndPortMayOpenItsSocket() {
        // The browser sends the Host it used for the page, and that page's origin.
        assertChatsAfterHandshake(headers("Host", "chat.lan:8123", "Origin", "http://chat.lan:8123"));
        assertChatsAfterHandshake(headers("Host", "[::1]:" + port, "Origin", "http://[::1]:" + port));
    }

    @Test
    void clientWithoutOriginIsAccepted() {
        assertChatsAfterHandshake(headers());
    }

    @Test
    void configuredExtraOriginIsAccepted() {
        assertChatsAfterHandshake(headers("Origin", SmallServer.EXTRA_ORIGIN));
        assertThat(handshake(headers("Origin", "https://evil.chat.example.com")).status()).isEqualTo(403);
    }

    @Test
    void pageBehindTlsTerminatingProxyMayOpenItsSocket() {
        assertChatsAfterHandshake(headers("X-Forwarded-Proto", "https", "X-Forwarded-Host", "chat.proxy.test",
                "Origin", "https://chat.proxy.test"));
        assertChatsAfterHandshake(headers("X-Forwarded-Proto", "https", "X-Forwarded-Host", "chat.proxy.test",
                "X-Forwarded-Port", "8443", "Origin", "https://chat.proxy.test:8443"));
        // The forwarded scheme counts: the http origin of the same host is another site.
        assertThat(handshake(headers("X-Forwarded-Proto", "https", "X-Forwarded-Host", "chat.proxy.test",
                "Origin", "http://chat.proxy.test")).status()).isEqualTo(403);
    }

    @Test
    void compressionOfferedByABrowserIsDeclined() {
        // Compressing every broadcast once per recipient would cost more than the fan-out itself.
        RawWebSocket socket = handshake(Wire.headers("Sec-WebSocket-Extensions",
                "permessage-deflate; client_max_window_bits"));
        assertThat(socket.status()).isEqualTo(101);
        assertThat(socket.responseHeader("Sec-WebSocket-Extensions")).isNull();
    }

    @Test
    void requestsOnTheSocketPathThatAreNotHandshakesGetAnHttpError() throws Exception {
        assertThat(handshake(headers("Upgrade", null, "Connection", null)).status())
                .as("a plain GET").isEqualTo(400);
        RawWebSocket oldVersion = handshake(headers("Sec-WebSocket-Version", "8"));
        assertThat(oldVersion.status()).isEqualTo(426);
        assertThat(oldVersion.responseHeader("Sec-WebSocket-Version")).isEqualTo("13");
        HttpResponse<String> post = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(ServerUnderTest.onPort(port).http().resolve("/chat"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(room.connections()).isZero();
        assertChatsAfterHandshake(headers());
    }

    @Test
    void listeningSocketHasTheConfiguredAcceptBacklogNotJavasFifty() throws Exception {
        // A crowd reconnecting at once overflows a backlog of 50: the kernel drops the
        // handshakes Jetty has not taken yet, and each of those clients waits a second or more.
        // ss shows a listening socket's backlog as its Send-Q.
        Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ss.waitFor()).as(out).isZero();
        int somaxconn = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).get(0).trim());
        assertThat(out.lines().map(line -> Integer.parseInt(line.trim().split("\\s+")[2])))
                .as(out).containsOnly(Math.min(SmallServer.ACCEPT_BACKLOG, somaxconn));
    }

    @Test
    void handshakePastTheCapIsRefusedWith503AndAFreedSlotIsReused() {
        URI chat = ServerUnderTest.onPort(port).chat();
        List<ChatClient> clients = new ArrayList<>();
        for (int i = 0; i < SmallServer.MAX_CONNECTIONS; i++) {
            ChatClient client = ChatClient.connect(chat);
            opened.add(client);
            clients.add(client);
        }
        assertThat(room.connections()).isEqualTo(SmallServer.MAX_CONNECTIONS);

        RawWebSocket refused = handshake(headers());
        assertThat(refused.status()).isEqualTo(503);

        clients.get(0).close();
        eventually("a slot freed").until(() -> room.connections() == SmallServer.MAX_CONNECTIONS - 1);
        assertChatsAfterHandshake(headers());
        for (ChatClient client : clients.subList(1, clients.size())) {
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void concurrentHandshakesNeverTakeMoreThanTheCap() throws Exception {
        int attempts = 4 * SmallServer.MAX_CONNECTIONS;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> outcomes = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                outcomes.add(pool.submit(() -> {
                    go.await();
                    RawWebSocket socket = handshake(headers());
                    if (socket.status() != 101) {
                        return socket.status();
                    }
                    RawWebSocket.Frame first = socket.readFrame(Duration.ofSeconds(10));
                    if (first == null) {
                        return 1006;
                    }
                    return first.opcode() == RawWebSocket.CLOSE ? first.closeCode() : 101;
                }));
            }
            go.countDown();
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> outcome : outcomes) {
                results.add(outcome.get());
            }
            // Each attempt was admitted (101 and an id frame), refused with 503, or closed with 1013.
            assertThat(results).allMatch(r -> r == 101 || r == 503 || r == 1013);
            assertThat(results).filteredOn(r -> r == 101).hasSize(SmallServer.MAX_CONNECTIONS);
            assertThat(room.connections()).isEqualTo(SmallServer.MAX_CONNECTIONS);
        } finally {
            pool.shutdownNow();
        }
    }

    private RawWebSocket handshake(Map<String, String> headers) {
        RawWebSocket socket = RawWebSocket.open(port, headers);
        synchronized (opened) {
            opened.add(socket);
        }
        return socket;
    }

    /** A handshake with these headers is upgraded, and the socket then works as a chat connection. */
    private void assertChatsAfterHandshake(Map<String, String> headers) {
        RawWebSocket socket = handshake(headers);
        assertThat(socket.status()).as("handshake status with %s", headers).isEqualTo(101);
        assertThat(socket.responseHeader("Sec-WebSocket-Protocol")).isEqualTo("json");
        JsonNode id = JSON.readTree(socket.readFrame(Duration.ofSeconds(10)).text());
        assertThat(id.path("type").asString()).isEqualTo("id");
        socket.sendText("{\"type\":\"username\",\"name\":\"origin-check\"}");
        boolean listed = false;
        while (!listed) {
            RawWebSocket.Frame frame = socket.readFrame(Duration.ofSeconds(10));
            assertThat(frame).isNotNull();
            if (frame.opcode() == RawWebSocket.TEXT) {
                JsonNode node = JSON.readTree(frame.text());
                listed = node.path("type").asString().equals("userlist")
                        && ChatClient.names(node).contains("origin-check");
            }
        }
        socket.close();
        eventually("the checked socket gone").until(() -> !room.names().contains("origin-check"));
    }
}
