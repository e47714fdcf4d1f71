package org.tertulia.robustness;

import static org.tertulia.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.tertulia.room.RoomView;
import org.tertulia.support.ChatClient;
import org.tertulia.support.RawWebSocket;
import org.tertulia.support.ServerUnderTest;

/**
 * Liveness: a peer that stops answering is pinged and closed, a peer that drops its TCP
 * connection is gone at once, and in both cases its name leaves everybody's list. A quiet
 * client that still answers pings stays.
 */
@SmallServer
class HeartbeatTest {

    @LocalServerPort
    int port;

    @Autowired
    RoomView room;

    URI chat;

    @BeforeEach
    void emptyServer() {
        chat = ServerUnderTest.onPort(port).chat();
        // Names too: a departure leaves the connections before it frees its name.
        eventually("the room empty of earlier tests' connections and names")
                .until(() -> room.connections() == 0 && room.names().isEmpty());
    }

    @Test
    void peerThatAnswersNoPingIsClosedAndLeavesTheList() {
        try (ChatClient quiet = ChatClient.signedIn(chat, "quiet");
             RawWebSocket dead = RawWebSocket.open(port, Wire.headers())) {
            dead.sendText("{\"type\":\"username\",\"name\":\"dead\"}");
            quiet.awaitUserlist(List.of("quiet", "dead"));
            // From now on "dead" neither reads nor answers: like a peer whose network vanished.

            quiet.awaitUserlist(List.of("quiet"));
            assertThat(room.names()).containsExactly("quiet");
            assertThat(room.connections()).isEqualTo(1);

            // What the dead peer would have read: pings, then a close with 1001.
            List<Integer> opcodes = new ArrayList<>();
            RawWebSocket.Frame frame;
            while ((frame = dead.readFrame(Duration.ofSeconds(10))) != null && frame.opcode() != RawWebSocket.CLOSE) {
                opcodes.add(frame.opcode());
            }
            assertThat(opcodes).contains(RawWebSocket.PING);
            assertThat(frame).isNotNull();
            assertThat(frame.closeCode()).isEqualTo(1001);

            // The quiet client was pinged as often, answered, and is still here and chatting.
            assertThat(quiet.isClosed()).isFalse();
            quiet.say("still here");
            quiet.next(n -> Wire.isMessage(n, "still here"));
        }
    }

    @Test
    void abruptTcpResetLeavesNoGhost() {
        try (ChatClient watcher = ChatClient.signedIn(chat, "watcher");
             RawWebSocket dropped = RawWebSocket.open(port, Wire.headers())) {
            dropped.sendText("{\"type\":\"username\",\"name\":\"dropped\"}");
            watcher.awaitUserlist(List.of("watcher", "dropped"));
            dropped.abort();
            watcher.awaitUserlist(List.of("watcher"));
            eventually("the dropped connection released").until(() -> room.connections() == 1);
        }
    }

    @Test
    void connectionClosedWithoutCloseFrameLeavesNoGhost() {
        try (ChatClient watcher = ChatClient.signedIn(chat, "watcher");
             ChatClient vanished = ChatClient.signedIn(chat, "vanished")) {
            watcher.awaitUserlist(List.of("watcher", "vanished"));
            vanished.abort();
            watcher.awaitUserlist(List.of("watcher"));
            eventually("the vanished connection released").until(() -> room.connections() == 1);
        }
    }
}
