package org.tertulia.robustness;

import static org.tertulia.support.Eventually.PATIENCE;
import static org.tertulia.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.tertulia.room.RoomView;
import org.tertulia.support.ChatClient;
import org.tertulia.support.RawWebSocket;
import org.tertulia.support.ServerUnderTest;

/**
 * The other bound of an outbox: time. With a byte bound too large to matter, a reader
 * whose socket stops taking data is cut off once one write has waited longer than the
 * send timeout, and its name leaves the list; the talkers never notice.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tertulia.web.outbox.max-queued=1GB",
        "tertulia.web.outbox.send-timeout=2s",
        "tertulia.room.rate.frames-per-second=100000",
        "tertulia.room.rate.frame-burst=100000" })
class SendTimeoutTest {

    @LocalServerPort
    int port;

    @Autowired
    RoomView room;

    @Test
    void readerWhoseWritesStallPastTheSendTimeoutIsCutOff() {
        URI chat = ServerUnderTest.onPort(port).chat();
        String padding = "\u00B7".repeat(1_500);
        try (RawWebSocket stalled = RawWebSocket.open(port, Wire.headers(), 4096);
             ChatClient ann = ChatClient.signedIn(chat, "ann");
             ChatClient ben = ChatClient.signedIn(chat, "ben")) {
            stalled.sendText("{\"type\":\"username\",\"name\":\"stalled\"}");
            ann.awaitUserlist(List.of("ann", "ben", "stalled"));
            int mark = ben.received().size();

            // Talk until the stalled reader is gone; it never reads a byte.
            List<String> said = new ArrayList<>();
            long start = System.nanoTime();
            while (room.names().contains("stalled")) {
                assertThat(System.nanoTime() - start).as("nanos until the stalled reader is cut")
                        .isLessThan(PATIENCE.toNanos());
                String text = said.size() + " " + padding;
                ann.say(text);
                said.add(text);
            }
            ben.awaitUserlist(List.of("ann", "ben"));
            eventually("the stalled connection released").until(() -> room.connections() == 2);

            String last = said.get(said.size() - 1);
            ben.next(n -> Wire.isMessage(n, last));
            List<String> heard = Wire.since(ben, mark).stream().filter(n -> Wire.type(n).equals("message"))
                    .map(n -> n.path("text").asString()).toList();
            assertThat(heard).isEqualTo(said);
            assertThat(ann.isClosed()).isFalse();
            assertThat(ben.isClosed()).isFalse();
        }
    }
}
