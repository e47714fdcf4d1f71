package org.tertulia.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.tertulia.support.ChatClient;
import org.tertulia.support.ServerUnderTest;

/**
 * The write linger follows the room's size: frames for a busy connection wait for company in
 * proportion to how many members the room has, never longer than the cap. Here the cap is
 * far beyond any test's patience, so a small room whose lines still flow shows that its linger
 * is the per-member one (two members: 2 ms), not the cap.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tertulia.web.outbox.linger=1h",
        "tertulia.web.outbox.linger-per-member=1ms" })
class LingerTest {

    private static final long MS = 1_000_000;

    @LocalServerPort
    int port;

    @Test
    void theLingerIsThePerMemberShareOfTheRoomUpToTheCap() {
        // The defaults: 25 µs per member, at most 30 ms.
        assertThat(FlushLoops.lingerNanos(250, 25_000, 30 * MS)).isEqualTo(6_250_000);
        assertThat(FlushLoops.lingerNanos(1_000, 25_000, 30 * MS)).isEqualTo(25 * MS);
        assertThat(FlushLoops.lingerNanos(1_200, 25_000, 30 * MS)).isEqualTo(30 * MS);
        assertThat(FlushLoops.lingerNanos(10_000, 25_000, 30 * MS)).isEqualTo(30 * MS);
        assertThat(FlushLoops.lingerNanos(1, 25_000, 30 * MS)).isEqualTo(25_000);
        // No overflow for an absurd setting: the cap holds.
        assertThat(FlushLoops.lingerNanos(Integer.MAX_VALUE, Long.MAX_VALUE / 2, 30 * MS)).isEqualTo(30 * MS);
        // Either setting at 0 turns the linger off.
        assertThat(FlushLoops.lingerNanos(250, 0, 30 * MS)).isZero();
        assertThat(FlushLoops.lingerNanos(250, 25_000, 0)).isZero();
    }

    @Test
    void linesInASmallRoomDoNotWaitForTheCap() {
        URI chat = ServerUnderTest.onPort(port).chat();
        try (ChatClient ann = ChatClient.signedIn(chat, "ann");
             ChatClient ben = ChatClient.signedIn(chat, "ben")) {
            ben.awaitUserlist(List.of("ann", "ben"));
            // Back to back: every line after the first finds ben's connection written within the
            // linger, so each waits for the linger to end; with the hour-long cap they would not
            // come at all within the wait.
            for (int i = 0; i < 10; i++) {
                ann.say("line " + i);
            }
            for (int i = 0; i < 10; i++) {
                String text = "line " + i;
                assertThat(ben.next(n -> n.path("type").asString().equals("message")
                        && n.path("text").asString().equals(text), Duration.ofSeconds(10)))
                        .as("line %d", i).isNotNull();
            }
        }
    }
}
