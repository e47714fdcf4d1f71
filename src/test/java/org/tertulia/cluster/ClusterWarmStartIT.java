package org.tertulia.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.tertulia.support.ChatClient;

/**
 * A cluster node's warm start stays on that node: its crowd signs in to a private room in
 * memory, so the shared room, its ids in Redis and the other nodes' users never hear of it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterWarmStartIT {

    @Test
    void theCrowdOfANodesWarmStartNeverReachesTheSharedRoom(CapturedOutput output) {
        try (RedisServer redis = RedisServer.start();
             ClusterNodes.InJvm first = ClusterNodes.start(redis);
             ChatClient ana = ChatClient.signedIn(first.chat(), "ana")) {
            ana.awaitUserlist(List.of("ana"));
            try (ClusterNodes.InJvm second = ClusterNodes.start(redis,
                    List.of("tertulia.warm-start.rounds=1", "tertulia.warm-start.clients=30"));
                 ChatClient bruno = ChatClient.connect(second.chat())) {
                assertThat(output).contains("warm start: 1 round(s) of 30 loopback clients");
                // The room's ids come from Redis, one after another: the 30 took none of them.
                assertThat(bruno.id()).isEqualTo(ana.id() + 1);
                bruno.signIn("bruno");
                ana.awaitUserlist(List.of("ana", "bruno"));
                bruno.awaitUserlist(List.of("ana", "bruno"));
                ana.say("after the warm start");
                bruno.next(n -> n.path("text").asString().equals("after the warm start"));
            }
            // Not one of the crowd was ever announced to ana, listed, or heard saying a line.
            assertThat(ana.received()).noneMatch(n -> n.toString().contains("trainee"));
        }
    }
}
