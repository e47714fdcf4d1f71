package org.tertulia.robustness;

import static org.tertulia.support.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tertulia.support.ChatClient;
import org.tertulia.support.ServerUnderTest;

/**
 * Shutdown, with the server in a process of its own: on SIGTERM every client is closed
 * with 1001 and the process ends within a few seconds, even with a stalled reader among
 * the clients.
 */
class ShutdownTest {

    @Test
    void sigtermClosesEveryClientWith1001AndTheProcessEndsWithinSeconds() throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("tertulia-shutdown-", ".log");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "org.tertulia.TertuliaApplication",
                "--server.port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        List<ChatClient> clients = new ArrayList<>();
        try {
            within("the server to start", Duration.ofSeconds(90))
                    .until(() -> !server.isAlive() || read(log).contains("Started TertuliaApplication"));
            assertThat(server.isAlive()).as("server running; log:%n%s", read(log)).isTrue();

            URI chat = ServerUnderTest.onPort(port).chat();
            for (int i = 0; i < 3; i++) {
                clients.add(ChatClient.signedIn(chat, "user" + i));
            }
            clients.add(ChatClient.connect(chat));   // connected, never signed in
            ChatClient stalled = ChatClient.signedIn(chat, "stalled");
            stalled.pauseReading();
            clients.get(0).awaitUserlist(List.of("user0", "user1", "user2", "stalled"));

            long start = System.nanoTime();
            server.destroy();   // SIGTERM
            for (ChatClient client : clients) {
                assertThat(client.awaitClose()).isEqualTo(1001);
            }
            assertThat(clients.get(0).closeReason()).isEqualTo("server shutting down");
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("process ended; log:%n%s", read(log)).isTrue();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("shutdown took %.2f s%n", seconds);
            assertThat(seconds).as("seconds from SIGTERM to exit").isLessThan(10);
            stalled.close();
        } finally {
            clients.forEach(ChatClient::close);
            server.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
