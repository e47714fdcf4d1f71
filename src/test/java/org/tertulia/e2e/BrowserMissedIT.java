package org.tertulia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.tertulia.support.ServerUnderTest;

/**
 * A page cut off for longer than the server keeps events for catch-up, in real Chromium.
 * Needs the server side of protocol v2 (resume with {@code missed: true}).
 */
@BrowserTest(server = BrowserMissedIT.ShortMemoryServer.class)
class BrowserMissedIT {

    private static final int KEPT_FOR_CATCH_UP = 3;

    /** A server that keeps only a few events for catch-up, so a short gap is already too long. */
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = "tertulia.room.replay-size=" + KEPT_FOR_CATCH_UP)
    static final class ShortMemoryServer {
    }

    private final String run = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());

    @Test
    void aGapLongerThanTheServerKeepsShowsTheMissedDividerAndNoLineTwice(ServerUnderTest server, Browsers browsers) {
        try (TcpProxy proxy = TcpProxy.to(server.http())) {
            ChatPage ana = browsers.open("ana", proxy.http());
            ChatPage bob = browsers.open("bob");
            String anaName = ana.signIn("ana-" + run);
            String bobName = bob.signIn("bob-" + run);
            ana.awaitUsersIncluding(anaName, bobName);
            String before = "before the cut " + run;
            bob.sayWithEnter(before);
            ana.awaitMessage(bobName, before);

            proxy.refuseNewConnections();
            proxy.cutClientSide();
            ana.awaitStatusText("Reconnecting in \\d+ s…");
            List<String> meanwhile = new ArrayList<>();
            for (int i = 1; i <= 2 * KEPT_FOR_CATCH_UP; i++) {
                String line = "meanwhile " + i + " " + run;
                meanwhile.add(line);
                bob.sayWithEnter(line);
                bob.awaitMessage(bobName, line);
            }
            proxy.acceptNewConnections();

            ana.awaitSignedInAs(anaName, ana.backWithin(Duration.ofSeconds(10)));
            String last = meanwhile.get(meanwhile.size() - 1);
            ana.awaitMessage(bobName, last);
            List<String> log = ana.logLines();
            assertThat(log).filteredOn("Some messages were missed"::equals).hasSize(1);
            assertThat(log).containsSubsequence(bobName + ": " + before, "Some messages were missed",
                    bobName + ": " + last);
            assertThat(ana.count(bobName, before)).as("not repeated: " + before).isEqualTo(1);
            for (String line : meanwhile) {
                assertThat(ana.count(bobName, line)).as("at most once: " + line).isLessThanOrEqualTo(1);
            }
            for (ChatPage page : new ChatPage[] {ana, bob}) {
                assertThat(page.users()).doesNotContain(anaName + "2");
                assertThat(String.join("\n", page.logLines())).doesNotContain(anaName + "2");
            }
        }
    }
}
