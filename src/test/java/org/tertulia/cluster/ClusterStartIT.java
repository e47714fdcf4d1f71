package org.tertulia.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.support.Eventually.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tertulia.support.ChatClient;
import org.tertulia.support.Http;
import org.tertulia.support.RawWebSocket;
import tools.jackson.databind.JsonNode;

/**
 * A node that has not joined the room's order yet (its Redis does not answer) turns WebSocket
 * handshakes away with 503, instead of signing people in to a room whose events would never
 * reach them; once Redis answers it lets them in, and they chat.
 */
class ClusterStartIT {

    @Test
    void aNodeTurnsHandshakesAwayUntilItHasJoinedTheRoom() throws Exception {
        RedisServer redis = RedisServer.start();
        redis.stop(); // its port, with nothing answering there
        try (ClusterNodes.InJvm node = ClusterNodes.start(redis)) {
            int port = node.server().http().getPort();
            assertThat(status(port)).as("handshake before the node has joined the room").isEqualTo(503);
            assertThat(Http.get(node.server().http().resolve("/actuator/health/readiness")).status())
                    .isEqualTo(503);

            redis.restart();
            within("the node to let people in once Redis answers", Duration.ofSeconds(30))
                    .until(() -> status(port) == 101);
            try (ChatClient ana = ChatClient.signedIn(node.chat(), "ana");
                    ChatClient bob = ChatClient.signedIn(node.chat(), "bob")) {
                bob.awaitUserlist(List.of("ana", "bob"));
                ana.say("hello, bob");
                JsonNode line = bob.next(m -> "message".equals(m.path("type").asString())
                        && "hello, bob".equals(m.path("text").asString()));
                assertThat(line.path("name").asString()).isEqualTo("ana");
            }
        } finally {
            redis.close();
        }
    }

    private static int status(int port) {
        RawWebSocket socket = RawWebSocket.open(port, Map.of());
        try {
            return socket.status();
        } finally {
            socket.abort();
        }
    }
}
