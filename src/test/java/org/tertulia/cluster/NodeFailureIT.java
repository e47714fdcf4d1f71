package org.tertulia.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tertulia.support.ChatClient;

/** A node that dies without a word: its users leave everyone else's list within the bound. */
class NodeFailureIT {

    /** node-ttl (2 s) for the heartbeat to expire, a heartbeat period (ttl/3) to notice, and slack for a busy machine. */
    static final Duration BOUND = Duration.ofMillis(2_000 + 667 + 1_500);

    @Test
    void usersOfAKilledNodeLeaveTheOthersListsWithinTheBound() throws Exception {
        File log = new File(System.getProperty("java.io.tmpdir"), "tertulia-forked-node.log");
        try (RedisServer redis = RedisServer.start();
             ClusterNodes.InJvm survivor = ClusterNodes.start(redis);
             ClusterNodes.Forked doomed = ClusterNodes.fork(redis, log)) {
            doomed.awaitStarted(Duration.ofSeconds(60));
            try (ChatClient kim = ChatClient.signedIn(survivor.chat(), "kim");
                 ChatClient leo = ChatClient.signedIn(doomed.chat(), "leo")) {
                kim.awaitUserlist(List.of("kim", "leo"));
                leo.awaitUserlist(List.of("kim", "leo"));

                long killed = System.nanoTime();
                doomed.kill();
                kim.next(n -> n.path("type").asString().equals("userlist")
                        && ChatClient.names(n).equals(List.of("kim")), BOUND.plusSeconds(5));
                Duration gone = Duration.ofNanos(System.nanoTime() - killed);
                System.out.println("CLUSTER-MEASURE dead node's user left the list after " + gone.toMillis() + " ms");
                assertThat(gone).isLessThan(BOUND);

                // The dead node's names are free again.
                try (ChatClient again = ChatClient.connect(survivor.chat())) {
                    assertThat(again.signIn("leo")).isEqualTo("leo");
                }
            }
        }
    }
}
