package org.tertulia.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client for tests (the JDK's java.net.http), speaking the chat protocol:
 * it records every frame it receives and how the connection closed.
 */
public final class ChatClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final WebSocket socket;
    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile String closeReason;
    private volatile boolean paused;
    private final long id;

    private ChatClient(WebSocket.Builder builder, URI uri, String subprotocol) {
        Listener listener = new Listener();
        WebSocket.Builder b = builder.connectTimeout(WAIT);
        if (subprotocol != null) {
            b = b.subprotocols(subprotocol);
        }
        this.socket = b.buildAsync(uri, listener).join();
        this.id = next(n -> n.path("type").asString().equals("id")).path("id").asLong();
    }

    /** Connects to {@code ws://.../chat} offering subprotocol {@code json}, and waits for the id frame. */
    public static ChatClient connect(URI uri) {
        return new ChatClient(HttpClient.newHttpClient().newWebSocketBuilder(), uri, "json");
    }

    /** Connects through a shared {@link HttpClient} (one selector thread for many clients), offering {@code json}. */
    public static ChatClient connect(HttpClient http, URI uri) {
        return new ChatClient(http.newWebSocketBuilder(), uri, "json");
    }

    /** Connects with a chosen subprotocol (or none when null). */
    public static ChatClient connect(URI uri, String subprotocol) {
        return new ChatClient(HttpClient.newHttpClient().newWebSocketBuilder(), uri, subprotocol);
    }

    /** Connects, signs in as {@code name}, and waits until the userlist shows the name given. */
    public static ChatClient signedIn(URI uri, String name) {
        ChatClient client = connect(uri);
        client.signIn(name);
        return client;
    }

    public long id() {
        return id;
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** Sends {@code username}, waits for our own {@code username} broadcast, returns the name given. */
    public String signIn(String name) {
        sendJson("{\"type\":\"username\",\"id\":" + id + ",\"name\":" + quote(name) + ",\"date\":" + System.currentTimeMillis() + "}");
        JsonNode mine = next(n -> n.path("type").asString().equals("username") && n.path("id").asLong() == id);
        return mine.path("name").asString();
    }

    /**
     * Signs in as a client coming back after a drop: with the resume {@code token} it was
     * given and the last position it saw. Returns the {@code session} frame the server answers with.
     */
    public JsonNode signInResuming(String name, String token, long since) {
        sendJson("{\"type\":\"username\",\"id\":" + id + ",\"name\":" + quote(name) + ",\"token\":" + quote(token)
                + ",\"since\":" + since + ",\"date\":" + System.currentTimeMillis() + "}");
        return next("session");
    }

    /** The token of the last {@code session} frame received; fails if none came. */
    public String token() {
        return lastOf("session").path("token").asString();
    }

    /** The highest position among the frames received so far (0 when none had one). */
    public long lastPosition() {
        return received().stream().mapToLong(n -> n.path("pos").asLong(0)).max().orElse(0);
    }

    private JsonNode lastOf(String type) {
        List<JsonNode> all = received();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).path("type").asString().equals(type)) {
                return all.get(i);
            }
        }
        throw new AssertionError("no " + type + " frame received: " + all);
    }

    public void say(String text) {
        sendJson("{\"type\":\"message\",\"id\":" + id + ",\"text\":" + quote(text) + ",\"date\":" + System.currentTimeMillis() + "}");
    }

    /** A private message to {@code target}. */
    public void sayTo(String target, String text) {
        sendJson("{\"type\":\"message\",\"id\":" + id + ",\"text\":" + quote(text) + ",\"target\":" + quote(target)
                + ",\"date\":" + System.currentTimeMillis() + "}");
    }

    public void sendJson(String frame) {
        socket.sendText(frame, true).join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** The next frame, of any type, waiting up to {@link #WAIT}. */
    public JsonNode next() {
        return next(n -> true);
    }

    /** Skips frames until one matches; fails after {@link #WAIT}. */
    public JsonNode next(Predicate<JsonNode> matching) {
        return next(matching, WAIT);
    }

    public JsonNode next(Predicate<JsonNode> matching, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode frame = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new AssertionError("no matching frame within " + wait + "; " + account());
                }
                if (matching.test(frame)) {
                    return frame;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * What a failed wait reports: how many frames came, whether and how the connection
     * closed, and the last few frames, each cut short (a flood test's frames would
     * otherwise make a report of megabytes).
     */
    private String account() {
        List<JsonNode> all = received();
        StringBuilder account = new StringBuilder().append(all.size()).append(" frames received");
        if (closeCode.isDone()) {
            account.append(", closed with ").append(closeCode.join()).append(" (").append(closeReason).append(')');
        } else {
            account.append(", still open");
        }
        account.append("; the last ones:");
        for (JsonNode frame : all.subList(Math.max(0, all.size() - 10), all.size())) {
            String text = frame.toString();
            account.append("\n  ").append(text.length() > 200 ? text.substring(0, 200) + "... (" + text.length() + " chars)" : text);
        }
        return account.toString();
    }

    /** The next frame of this type. */
    public JsonNode next(String type) {
        return next(n -> n.path("type").asString().equals(type));
    }

    /** Waits for a userlist equal to {@code names}. */
    public JsonNode awaitUserlist(List<String> names) {
        return next(n -> n.path("type").asString().equals("userlist") && names(n).equals(names));
    }

    /** The names of a userlist frame. */
    public static List<String> names(JsonNode userlist) {
        List<String> names = new ArrayList<>();
        userlist.path("users").forEach(u -> names.add(u.asString()));
        return names;
    }

    /** Every frame received so far, in order. */
    public List<JsonNode> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The frames received from position {@code index} on (0 is the first), copying only those. */
    public List<JsonNode> receivedFrom(int index) {
        synchronized (received) {
            return index >= received.size() ? List.of() : List.copyOf(received.subList(index, received.size()));
        }
    }

    /**
     * Stops reading: no more frames are taken off the socket (nor pings answered), so the
     * server's writes back up as they would for a stalled reader.
     */
    public void pauseReading() {
        paused = true;
    }

    /** Reads again after {@link #pauseReading}. */
    public void resumeReading() {
        paused = false;
        socket.request(1);
    }

    /** Frames not yet taken by {@link #next}, without waiting. */
    public List<JsonNode> drain() {
        List<JsonNode> frames = new ArrayList<>();
        inbox.drainTo(frames);
        return frames;
    }

    /** The close code the server sent, waiting up to {@link #WAIT}. */
    public int awaitClose() {
        try {
            return closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed within " + WAIT, e);
        }
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    public String closeReason() {
        return closeReason;
    }

    /** Drops the TCP connection without a close handshake. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
    }

    public static String quote(String s) {
        return JSON.writeValueAsString(s);
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode node = JSON.readTree(partial.toString());
                partial.setLength(0);
                received.add(node);
                inbox.add(node);
            }
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            // The JDK answers the ping itself; reading on is what pauseReading withholds.
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeReason = String.valueOf(error);
            closeCode.complete(1006);
        }
    }
}
