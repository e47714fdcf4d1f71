package org.tertulia.robustness;

import static org.tertulia.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;
import org.tertulia.room.RoomView;
import org.tertulia.room.UsernameRegistry;
import org.tertulia.support.ChatClient;
import org.tertulia.support.RawWebSocket;
import org.tertulia.support.ServerUnderTest;

import tools.jackson.databind.JsonNode;

/**
 * Chaos: while ten well-behaved clients chat, bots open hundreds of connections that sign
 * in under odd names, spam, send garbage, binary, oversized and malformed frames, stall,
 * and drop at random. Afterwards every well-behaved client holds every well-behaved
 * message exactly once, all in one order; the user list is the live set; nothing of the
 * bots is left in the room, the registry or the web layer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tertulia.web.heartbeat.interval=1s",
        "tertulia.web.heartbeat.timeout=2s",
        "tertulia.web.outbox.max-queued=512KB",
        "tertulia.web.outbox.send-timeout=3s" })
class ChaosTest {

    static final int GOOD = 10;
    static final int BOT_WORKERS = 24;
    static final int MIN_BOT_CONNECTIONS = 200;
    static final Duration CHAOS = Duration.ofSeconds(Long.getLong("tertulia.chaos.seconds", 30));
    static final long GOOD_PACE_MILLIS = 250;   // 4 frames/s, well under the rate limit

    private static final String[] ODD_NAMES = {
        "", "   ", "good1", "GOOD2", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>bot",
        "\u202Eevil", "\u0000nul", "x".repeat(200), "\uD83D\uDE00\uD83D\uDE00", "bot", "Bot", "bot ", "a<b", "<",
        "e\u0301", "\u00E9", "\uD800", "guest-1"
    };

    private static final String[] GARBAGE = {
        "not json", "{", "}", "[]", "null", "42", "\"str\"", "{\"type\":7}", "{\"type\":null}",
        "{\"type\":\"message\"}", "{\"type\":\"message\",\"text\":[1]}", "{\"type\":\"username\",\"name\":{}}",
        "{\"type\":\"message\",\"text\":\"\"}", "{\"type\":\"message\",\"text\":\"<b></b>\"}",
        "{\"type\":\"nope\"}", "{\"type\":\"message\",\"text\":\"x\",\"target\":5}", "\uFEFF{}",
        "{\"type\":\"message\",\"text\":\"\\ud800\"}", "[".repeat(5_000) + "]".repeat(5_000),
        "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000)
    };

    @LocalServerPort
    int port;

    @Autowired
    RoomView room;

    @Autowired
    UsernameRegistry registry;

    @Autowired
    ApplicationContext context;

    private final AtomicInteger botConnections = new AtomicInteger();
    private final AtomicInteger botFailures = new AtomicInteger();
    private final Map<RawWebSocket, Boolean> leftOpen = new ConcurrentHashMap<>();

    @Test
    void wellBehavedClientsLoseNothingWhileBotsMisbehave() throws Exception {
        URI chat = ServerUnderTest.onPort(port).chat();
        List<ChatClient> good = new ArrayList<>();
        List<String> goodNames = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(BOT_WORKERS + GOOD);
        try {
            for (int i = 0; i < GOOD; i++) {
                ChatClient client = ChatClient.connect(chat);
                good.add(client);
                goodNames.add(client.signIn("good" + i));
            }
            assertThat(goodNames).containsExactly("good0", "good1", "good2", "good3", "good4", "good5", "good6",
                    "good7", "good8", "good9");
            for (ChatClient client : good) {
                client.awaitUserlist(goodNames);
            }
            int[] marks = good.stream().mapToInt(c -> c.received().size()).toArray();

            long deadline = System.nanoTime() + CHAOS.toNanos();
            AtomicLong goodSent = new AtomicLong();
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < BOT_WORKERS; w++) {
                long seed = 7919L * w + System.nanoTime();
                running.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    while (System.nanoTime() < deadline || botConnections.get() < MIN_BOT_CONNECTIONS) {
                        botLife(random);
                    }
                }));
            }
            for (int i = 0; i < GOOD; i++) {
                ChatClient client = good.get(i);
                String name = goodNames.get(i);
                running.add(pool.submit(() -> {
                    for (int n = 0; System.nanoTime() < deadline; n++) {
                        try {
                            client.say(name + "#" + n);
                        } catch (RuntimeException e) {
                            throw new AssertionError(name + " was cut off: " + client.awaitClose() + " "
                                    + client.closeReason(), e);
                        }
                        goodSent.incrementAndGet();
                        Thread.sleep(GOOD_PACE_MILLIS);
                    }
                    return null;
                }));
            }
            for (Future<?> task : running) {
                task.get();
            }
            // Bots still connected (stalled or idle) now drop without a word.
            leftOpen.keySet().forEach(RawWebSocket::abort);
            System.out.printf("chaos: %d bot connections (%d bot lives ended in a server-side close), "
                    + "%d well-behaved messages%n", botConnections.get(), botFailures.get(), goodSent.get());
            assertThat(botConnections.get()).isGreaterThanOrEqualTo(MIN_BOT_CONNECTIONS);

            // The live set is the ten; nothing of the bots is left anywhere.
            // A departure leaves the connections, then the registry, then the list: wait for all three.
            eventually("only the well-behaved connections left").untilAsserted(() -> assertThat(
                    room.connections() == GOOD && webConnections() == GOOD && registry.held() == GOOD
                            && room.names().equals(goodNames))
                    .as(() -> "room=" + room.connections() + " web=" + webConnections() + " registry=" + registry.held()
                            + " names=" + room.names() + " good closed: " + good.stream().filter(ChatClient::isClosed)
                                    .map(c -> c.awaitClose() + " " + c.closeReason()).toList())
                    .isTrue());
            assertThat(room.names()).isEqualTo(goodNames);
            for (ChatClient client : good) {
                assertThat(client.isClosed()).isFalse();
                // A list sent while bots were still signed in may still be on its way when the room
                // is already clean: wait for the last list this client holds to be the live set.
                eventually("the last userlist a well-behaved client holds to be the live set")
                        .untilAsserted(() -> assertThat(lastUserlist(client)).isEqualTo(goodNames));
            }

            // Every well-behaved message, exactly once, one order for all.
            long total = goodSent.get();
            for (int i = 0; i < GOOD; i++) {
                ChatClient client = good.get(i);
                int mark = marks[i];
                eventually("good" + i + " to hold all " + total + " messages")
                        .untilAsserted(() -> assertThat(goodMessages(client, mark, goodNames).size()).isGreaterThanOrEqualTo((int) total));
            }
            List<String> order = goodMessages(good.get(0), marks[0], goodNames);
            assertThat(order).hasSize((int) total).doesNotHaveDuplicates();
            for (int i = 1; i < GOOD; i++) {
                assertThat(goodMessages(good.get(i), marks[i], goodNames)).as("good%d's messages", i)
                        .isEqualTo(order);
            }
            for (ChatClient client : good) {
                assertThat(Wire.since(client, 0)).as("errors a well-behaved client got")
                        .noneMatch(n -> Wire.type(n).equals("error"));
            }
        } finally {
            pool.shutdownNow();
            good.forEach(ChatClient::close);
        }
    }

    /** One bot connection, from open to drop. */
    private void botLife(Random random) {
        botConnections.incrementAndGet();
        try {
            rawBot(random);
        } catch (Throwable closedUnderUs) {
            // The server cut this bot off (which is the point) or it was refused.
            botFailures.incrementAndGet();
        }
    }

    private void rawBot(Random random) throws InterruptedException {
        RawWebSocket bot = RawWebSocket.open(port, Wire.headers(), random.nextBoolean() ? 4096 : 0);
        try {
            if (bot.status() != 101) {
                bot.close();
                return;
            }
            if (random.nextInt(5) > 0) {
                bot.sendText("{\"type\":\"username\",\"name\":" + ChatClient.quote(pick(random, ODD_NAMES)) + "}");
            }
            int actions = 1 + random.nextInt(4);
            for (int a = 0; a < actions; a++) {
                act(random, bot);
            }
        } finally {
            int end = random.nextInt(10);
            if (end < 4) {
                bot.abort();
            } else if (end < 7) {
                bot.close();
            } else if (end < 9) {
                try {
                    bot.sendFrame(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8});
                } catch (Throwable ignored) {
                    // already cut off
                }
                bot.close();
            } else {
                leftOpen.put(bot, true);   // stalls until the end of the run
            }
        }
    }

    private void act(Random random, RawWebSocket bot) throws InterruptedException {
        switch (random.nextInt(11)) {
            case 0, 1 -> {
                int n = 30 + random.nextInt(120);
                for (int i = 0; i < n; i++) {
                    bot.sendText("{\"type\":\"message\",\"text\":\"spam " + i + " <i>x</i>\"}");
                }
            }
            case 2 -> bot.sendText(pick(random, GARBAGE));
            case 3 -> bot.sendRaw(RawWebSocket.frame(RawWebSocket.TEXT, new byte[] {(byte) 0xC3, 0x28}, true));
            case 4 -> bot.sendBinary(new byte[] {0, 1, 2});
            case 5 -> bot.sendText("{\"type\":\"message\",\"text\":\"" + "z".repeat(70_000) + "\"}");
            case 6 -> bot.sendRaw(new byte[] {(byte) 0x83, 0x02, 'h', 'i'});
            case 7 -> {
                for (int i = 0; i < 8; i++) {
                    bot.sendText("{\"type\":\"username\",\"name\":" + ChatClient.quote(pick(random, ODD_NAMES) + i)
                            + "}");
                }
            }
            case 8 -> {
                for (int i = 0; i < 20; i++) {
                    bot.sendText(random.nextBoolean() ? "{\"type\":\"typing\"}"
                            : "{\"type\":\"message\",\"text\":\"psst\",\"target\":\"good" + random.nextInt(GOOD) + "\"}");
                }
            }
            case 9 -> {
                // Half a frame, then silence or a drop.
                byte[] frame = RawWebSocket.frame(RawWebSocket.TEXT,
                        "{\"type\":\"message\",\"text\":\"never finished\"}".getBytes(StandardCharsets.UTF_8), true);
                bot.sendRaw(java.util.Arrays.copyOf(frame, 1 + random.nextInt(frame.length - 1)));
                Thread.sleep(random.nextInt(500));
            }
            default -> Thread.sleep(random.nextInt(1_500));   // not reading meanwhile
        }
    }

    private int webConnections() {
        Integer open = ReflectionTestUtils.invokeMethod(context.getBean("openConnections"), "size");
        return open == null ? -1 : open;
    }

    private static List<String> goodMessages(ChatClient client, int mark, List<String> goodNames) {
        Set<String> names = Set.copyOf(goodNames);
        List<String> texts = new ArrayList<>();
        for (JsonNode frame : Wire.since(client, mark)) {
            if (Wire.type(frame).equals("message") && names.contains(frame.path("name").asString())
                    && !frame.has("target")) {
                texts.add(frame.path("text").asString());
            }
        }
        return texts;
    }

    private static String pick(Random random, String[] from) {
        return from[random.nextInt(from.length)];
    }

    private static List<String> lastUserlist(ChatClient client) {
        List<JsonNode> lists = Wire.since(client, 0).stream().filter(n -> Wire.type(n).equals("userlist")).toList();
        return lists.isEmpty() ? List.of() : ChatClient.names(lists.get(lists.size() - 1));
    }
}
