package org.tertulia.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.tertulia.room.RoomView;
import org.tertulia.support.ChatClient;
import org.tertulia.support.RawWebSocket;
import org.tertulia.support.ServerUnderTest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The send timeout cuts a reader that takes nothing, never one that is only slow. Here a
 * reader takes one 6 KB frame every 4 ms (at most about 1.5 MB/s), steadily, while a talker
 * says 9 MB at once: more than the kernel's buffers hold, so the outbox gathers up to 512
 * frames (3 MB) into each write, and one write takes longer than the send timeout (1 s) to
 * finish, yet bytes leave all the time. On the code before the heartbeat looked into a
 * write under way, this reader was cut after about 1,100 of the 1,500 lines. It must stay, and receive every
 * line in order. (The byte bound is what limits how far behind a slow reader may fall;
 * it is set out of reach here.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tertulia.web.outbox.max-queued=1GB",
        "tertulia.web.outbox.send-timeout=1s",
        "tertulia.room.rate.frames-per-second=100000",
        "tertulia.room.rate.frame-burst=100000" })
class SteadyReaderTest {

    static final int LINES = 1_500;
    static final Duration PACE = Duration.ofMillis(4);
    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    RoomView room;

    @Test
    void readerThatTakesBytesSlowlyButSteadilyIsNotCutEvenWhenOneWriteOutlastsTheSendTimeout() throws Exception {
        URI chat = ServerUnderTest.onPort(port).chat();
        String padding = "\u20AC".repeat(1_990);
        try (RawWebSocket steady = RawWebSocket.open(port, Wire.headers(), 4096);
             ChatClient ann = ChatClient.signedIn(chat, "ann")) {
            steady.sendText("{\"type\":\"username\",\"name\":\"steady\"}");
            ann.awaitUserlist(List.of("ann", "steady"));

            // The reader: one frame every PACE, from before the talk until the last line.
            List<String> said = new ArrayList<>();
            for (int i = 0; i < LINES; i++) {
                said.add(i + " " + padding);
            }
            CompletableFuture<List<String>> heard = CompletableFuture.supplyAsync(() -> {
                List<String> lines = new ArrayList<>();
                while (lines.size() < LINES) {
                    RawWebSocket.Frame frame = steady.readFrame(Duration.ofSeconds(30));
                    assertThat(frame).as("frame %d (after %d lines)", lines.size(), lines.size()).isNotNull();
                    assertThat(frame.opcode()).as("a close after %d lines", lines.size()).isNotEqualTo(RawWebSocket.CLOSE);
                    if (frame.opcode() == RawWebSocket.TEXT) {
                        JsonNode node = JSON.readTree(frame.text());
                        if (Wire.type(node).equals("message")) {
                            lines.add(node.path("text").asString());
                        }
                    }
                    sleep(PACE);
                }
                return lines;
            });

            for (String line : said) {
                ann.say(line);
            }

            assertThat(heard.get()).isEqualTo(said);
            assertThat(room.names()).contains("steady");
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
