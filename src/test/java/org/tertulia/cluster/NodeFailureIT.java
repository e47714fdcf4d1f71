package org.tertulia.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tertulia.support.ChatClient;
import org.tertulia.support.ForkedServer;

import tools.jackson.databind.JsonNode;

/** A node that dies without a word: its users leave everyone else's list within the bound. */
class NodeFailureIT {

    /** node-ttl (2 s) for the heartbeat to expire, a heartbeat period (ttl/3) to notice, and slack for a busy machine. */
    static final Duration BOUND = Duration.ofMillis(2_000 + 667 + 1_500);

    @Test
    void usersOfAKilledNodeLeaveTheOthersListsWithinTheBound() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ClusterNodes.InJvm survivor = ClusterNodes.start(redis);
             ForkedServer doomed = ClusterNodes.fork(redis)) {
            try (ChatClient kim = ChatClient.signedIn(survivor.chat(), "kim");
                 ChatClient leo = ChatClient.signedIn(doomed.server().chat(), "leo")) {
                kim.awaitUserlist(List.of("kim", "leo"));
                leo.awaitUserlist(List.of("kim", "leo"));

                String token = leo.token();
                long since = leo.lastPosition();
                long killed = System.nanoTime();
                doomed.kill();
                kim.next(n -> n.path("type").asString().equals("userlist")
                        && ChatClient.names(n).equals(List.of("kim")), BOUND.plusSeconds(5));
                Duration gone = Duration.ofNanos(System.nanoTime() - killed);
                System.out.println("CLUSTER-MEASURE dead node's user left the list after " + gone.toMillis() + " ms");
                assertThat(gone).isLessThan(BOUND);

                // The dead node's users keep their sessions for the grace: a newcomer cannot take
                // the name, and leo, coming back through the survivor with its token, is leo again.
                try (ChatClient newcomer = ChatClient.connect(survivor.chat())) {
                    assertThat(newcomer.signIn("leo")).isEqualTo("leo2");
                }
                kim.say("while you were away");
                kim.next(n -> n.path("text").asString().equals("while you were away"));
                try (ChatClient back = ChatClient.connect(survivor.chat())) {
                    JsonNode session = back.signInResuming("leo", token, since);
                    assertThat(session.path("resumed").asBoolean()).isTrue();
                    assertThat(session.path("id").asLong()).isEqualTo(leo.id());
                    back.awaitUserlist(List.of("kim", "leo"));
                    assertThat(back.received()).filteredOn(n -> n.path("type").asString().equals("message"))
                            .extracting(n -> n.path("text").asString()).containsExactly("while you were away");
                }
            }
        }
    }
}
