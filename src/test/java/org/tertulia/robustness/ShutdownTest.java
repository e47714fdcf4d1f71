package org.tertulia.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tertulia.support.ChatClient;
import org.tertulia.support.ForkedServer;
import org.tertulia.support.Http;

/**
 * Shutdown, with the server in a process of its own: on SIGTERM every client is closed
 * with 1001 and the process ends within a few seconds, even with a stalled reader among
 * the clients.
 */
class ShutdownTest {

    @Test
    void sigtermClosesEveryClientWith1001AndTheProcessEndsWithinSeconds() throws Exception {
        List<ChatClient> clients = new ArrayList<>();
        try (ForkedServer server = ForkedServer.start(ForkedServer.freePort())) {
            URI chat = server.server().chat();
            for (int i = 0; i < 3; i++) {
                clients.add(ChatClient.signedIn(chat, "user" + i));
            }
            clients.add(ChatClient.connect(chat));   // connected, never signed in
            ChatClient stalled = ChatClient.signedIn(chat, "stalled");
            stalled.pauseReading();
            clients.get(0).awaitUserlist(List.of("user0", "user1", "user2", "stalled"));

            long start = System.nanoTime();
            server.process().destroy();   // SIGTERM
            for (ChatClient client : clients) {
                assertThat(client.awaitClose()).isEqualTo(1001);
            }
            assertThat(clients.get(0).closeReason()).isEqualTo("server shutting down");
            assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).as("process ended; log:%n%s", server.log())
                    .isTrue();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("shutdown took %.2f s%n", seconds);
            assertThat(seconds).as("seconds from SIGTERM to exit").isLessThan(10);
            stalled.close();
        } finally {
            clients.forEach(ChatClient::close);
        }
    }

    @Test
    void readinessGoesDownBeforeAnyClientIsToldToGo() throws Exception {
        try (ForkedServer server = ForkedServer.start(ForkedServer.freePort(),
                "--logging.level.org.springframework.boot.availability=debug");
             ChatClient client = ChatClient.signedIn(server.server().chat(), "last")) {
            assertThat(Http.get(server.server().http().resolve("/actuator/health/readiness")).status()).isEqualTo(200);
            assertThat(server.terminate(Duration.ofSeconds(30))).as("process ended; log:%n%s", server.log()).isTrue();
            assertThat(client.awaitClose()).isEqualTo(1001);
            String log = server.log();
            int refusing = log.indexOf("REFUSING_TRAFFIC");
            int goingAway = log.indexOf("going away: closing 1 connection(s) with 1001");
            assertThat(refusing).as("readiness refused traffic; log:%n%s", log).isNotNegative();
            assertThat(goingAway).as("clients told to go; log:%n%s", log).isGreaterThan(refusing);
        }
    }
}
