package org.tertulia.robustness;

import static org.tertulia.support.Eventually.eventually;
import static org.tertulia.support.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.tertulia.room.RoomView;
import org.tertulia.support.ChatClient;
import org.tertulia.support.RawWebSocket;
import org.tertulia.support.ServerUnderTest;

import tools.jackson.databind.JsonNode;

/**
 * A reader that stops reading is cut off once its outbox holds too many bytes, and
 * nobody else waits for it: ten clients exchange 5,000 messages meanwhile and each of
 * them receives all of them, in one order. Rates are raised so the ten can go fast; the
 * send timeout is long so that only the byte bound can cut the stalled reader here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tertulia.web.outbox.max-queued=1MB",
        "tertulia.web.outbox.send-timeout=60s",
        "tertulia.room.rate.frames-per-second=100000",
        "tertulia.room.rate.frame-burst=100000" })
class SlowReaderTest {

    static final int TALKERS = 10;
    static final int MESSAGES = 5_000;
    static final int WINDOW = 10;
    static final String PADDING = "\u00B7".repeat(700);

    @LocalServerPort
    int port;

    @Autowired
    RoomView room;

    @Test
    void stalledReaderIsCutOffWhileTenOthersExchangeFiveThousandMessagesInOrder() throws Exception {
        URI chat = ServerUnderTest.onPort(port).chat();
        HttpClient http = HttpClient.newHttpClient();
        List<ChatClient> talkers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(TALKERS);
        // A reader that never reads a byte, with a small socket receive buffer.
        try (RawWebSocket stalled = RawWebSocket.open(port, Wire.headers(), 4096)) {
            stalled.sendText("{\"type\":\"username\",\"name\":\"stalled\"}");
            names.add("stalled");
            for (int i = 0; i < TALKERS; i++) {
                ChatClient talker = ChatClient.connect(http, chat);
                talkers.add(talker);
                names.add(talker.signIn("talker" + i));
            }
            for (ChatClient talker : talkers) {
                talker.awaitUserlist(names);
            }
            int[] marks = talkers.stream().mapToInt(t -> t.received().size()).toArray();

            long start = System.nanoTime();
            AtomicLong stalledLeftNanos = new AtomicLong();
            Thread watcher = new Thread(() -> {
                while (room.names().contains("stalled")) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                stalledLeftNanos.set(System.nanoTime());
            });
            watcher.setDaemon(true);
            watcher.start();
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < TALKERS; i++) {
                ChatClient talker = talkers.get(i);
                int who = i;
                OwnProgress progress = new OwnProgress(talker, marks[i], who + ":");
                sends.add(pool.submit(() -> {
                    for (int n = 0; n < MESSAGES / TALKERS; n++) {
                        // At most two windows in flight per talker: an exchange, not a blind flood that
                        // a reading client could not keep up with either.
                        if (n % WINDOW == 0 && n >= 2 * WINDOW) {
                            int due = n - WINDOW - 1;
                            eventually("talker" + who + " to hear its own message " + due).until(() -> progress.heard(due));
                        }
                        talker.say(who + ":" + n + " " + PADDING);
                    }
                    return null;
                }));
            }
            for (Future<?> send : sends) {
                send.get();
            }
            for (int i = 0; i < TALKERS; i++) {
                ChatClient talker = talkers.get(i);
                int mark = marks[i];
                within("talker" + i + " to receive all " + MESSAGES + " messages", Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(messages(talker, mark)).hasSizeGreaterThanOrEqualTo(MESSAGES));
            }
            long doneNanos = System.nanoTime();
            double seconds = (System.nanoTime() - start) / 1e9;

            List<String> order = messages(talkers.get(0), marks[0]);
            assertThat(order).hasSize(MESSAGES).doesNotHaveDuplicates();
            for (int i = 1; i < TALKERS; i++) {
                assertThat(messages(talkers.get(i), marks[i])).as("talker%d's order", i).isEqualTo(order);
            }
            // Each talker's own messages in the order it sent them.
            Map<String, Integer> lastSeen = new HashMap<>();
            for (String text : order) {
                String[] parts = text.substring(0, text.indexOf(' ')).split(":");
                int previous = lastSeen.getOrDefault(parts[0], -1);
                assertThat(Integer.parseInt(parts[1])).isEqualTo(previous + 1);
                lastSeen.put(parts[0], previous + 1);
            }

            List<String> talkersOnly = names.subList(1, names.size());
            // Cut off means gone from the list at once, not after its socket's close handshake gives up.
            within("the stalled reader to leave the list", Duration.ofSeconds(10)).until(() -> stalledLeftNanos.get() != 0);
            System.out.printf("5,000 messages in %.1f s; the stalled reader left the list %.1f s after the start%n",
                    seconds, (stalledLeftNanos.get() - start) / 1e9);
            assertThat(stalledLeftNanos.get()).as("stalled reader gone before the exchange ended").isLessThan(doneNanos);
            for (ChatClient talker : talkers) {
                talker.awaitUserlist(talkersOnly);
            }
            eventually("the stalled connection released").until(() -> room.connections() == TALKERS);
            assertThat(room.names()).isEqualTo(talkersOnly);
            assertThat(talkers).noneMatch(ChatClient::isClosed);
            assertThat(seconds).as("seconds for 5,000 messages to reach all ten").isLessThan(60);

            // Once it reads again it finds the room's talk cut short and the close (or a reset).
            int frames = 0;
            RawWebSocket.Frame frame;
            while ((frame = stalled.readFrame(Duration.ofSeconds(10))) != null && frame.opcode() != RawWebSocket.CLOSE) {
                frames++;
            }
            assertThat(frames).isLessThan(MESSAGES);
            if (frame != null) {
                assertThat(frame.closeCode()).isEqualTo(1008);
            }
        } finally {
            talkers.forEach(ChatClient::close);
            pool.shutdownNow();
        }
    }

    /** How far a talker has heard its own messages, reading only what arrived since the last look. */
    private static final class OwnProgress {

        private final ChatClient talker;
        private final String prefix;
        private int cursor;
        private int heard = -1;

        OwnProgress(ChatClient talker, int mark, String prefix) {
            this.talker = talker;
            this.cursor = mark;
            this.prefix = prefix;
        }

        boolean heard(int seq) {
            for (JsonNode frame : talker.receivedFrom(cursor)) {
                cursor++;
                String text = frame.path("text").asString();
                if (Wire.type(frame).equals("message") && text.startsWith(prefix)) {
                    heard = Integer.parseInt(text.substring(prefix.length(), text.indexOf(' ')));
                }
            }
            return heard >= seq;
        }
    }

    private static List<String> messages(ChatClient client, int mark) {
        List<String> texts = new ArrayList<>();
        for (JsonNode frame : Wire.since(client, mark)) {
            if (Wire.type(frame).equals("message") && frame.path("name").asString().startsWith("talker")) {
                texts.add(frame.path("text").asString());
            }
        }
        return texts;
    }
}
