package org.tertulia.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.support.Eventually.within;

import java.lang.reflect.Field;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.tertulia.room.RoomEvent;
import org.tertulia.support.ChatClient;
import org.tertulia.support.Http;

import io.lettuce.core.api.StatefulRedisConnection;

import tools.jackson.databind.JsonNode;

/** Redis goes away (a network blip, a restart that loses everything) during a chat: the room recovers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisFaultIT {

    static final Duration RECOVERY = Duration.ofSeconds(15);

    RedisServer redis;
    ClusterNodes.InJvm a;
    ClusterNodes.InJvm b;
    ChatClient mia;
    ChatClient noa;

    @BeforeAll
    void chatting() {
        redis = RedisServer.start();
        a = ClusterNodes.start(redis);
        b = ClusterNodes.start(redis);
        mia = ChatClient.signedIn(a.chat(), "mia");
        noa = ChatClient.signedIn(b.chat(), "noa");
        mia.awaitUserlist(List.of("mia", "noa"));
        noa.awaitUserlist(List.of("mia", "noa"));
        mia.say("before");
        assertThat(noa.next("message").path("text").asString()).isEqualTo("before");
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {mia, noa, a, b, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    @Order(0)
    void lineIsDeliveredAtOnceAfterRedisForgotItsScripts() throws Exception {
        redis.command("SCRIPT", "FLUSH");
        // The append's script is unknown to Redis now: the node sends its text again, and
        // the line goes through on the first try, in order with the one after it.
        mia.say("after the flush");
        mia.say("and the next");
        assertThat(noa.next("message").path("text").asString()).isEqualTo("after the flush");
        assertThat(noa.next("message").path("text").asString()).isEqualTo("and the next");
        assertThat(mia.next(n -> n.path("text").asString().equals("and the next")).path("name").asString())
                .isEqualTo("mia");
    }

    /**
     * An entry that reaches the stream without being pushed (as a node of an older version
     * appends, or as if a push were lost) is read from the stream: within the quiet second
     * when nothing follows it, and before a pushed entry that follows it.
     */
    @Test
    @Order(1)
    void anEntryAppendedWithoutAPushIsReadFromTheStream() throws Exception {
        // Lines said in turn come pushed (a read that happened to be in flight could take one).
        double pushed = entries(b, "push");
        for (int i = 0; i < 3; i++) {
            mia.say("pushed " + i);
            assertThat(noa.next("message").path("text").asString()).isEqualTo("pushed " + i);
        }
        assertThat(entries(b, "push")).isGreaterThanOrEqualTo(pushed + 1);

        double read = entries(b, "read");
        unpushed("unpushed, then quiet");
        long since = System.nanoTime();
        assertThat(noa.next(n -> n.path("text").asString().equals("unpushed, then quiet"), Duration.ofSeconds(5)))
                .isNotNull();
        assertThat(mia.next(n -> n.path("text").asString().equals("unpushed, then quiet"), Duration.ofSeconds(5)))
                .isNotNull();
        System.out.println("CLUSTER-MEASURE an entry with no push heard " + Duration.ofNanos(System.nanoTime() - since)
                .toMillis() + " ms after it was appended");
        assertThat(entries(b, "read")).isGreaterThanOrEqualTo(read + 1);

        unpushed("unpushed, then followed");
        mia.say("pushed after it");
        for (ChatClient listener : List.of(noa, mia)) {
            // Either read first (its quiet second passed) or before the push that followed it.
            assertThat(listener.next("message").path("text").asString()).isEqualTo("unpushed, then followed");
            assertThat(listener.next("message").path("text").asString()).isEqualTo("pushed after it");
        }
    }

    /**
     * Every node's push connection is closed under it while lines are said: each node
     * reconnects and reads what it missed from the stream, so every line is heard, in order,
     * exactly once.
     */
    @Test
    @Order(2)
    void nothingIsMissedOrHeardTwiceWhenThePushConnectionsAreClosed() throws Exception {
        redis.command("CLIENT", "KILL", "TYPE", "pubsub");
        List<String> said = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            said.add("through the cut " + i);
            mia.say(said.get(i));
        }
        for (ChatClient listener : List.of(noa, mia)) {
            List<String> heard = new ArrayList<>();
            for (int i = 0; i < said.size(); i++) {
                heard.add(listener.next(n -> n.path("type").asString().equals("message")).path("text").asString());
            }
            assertThat(heard).isEqualTo(said);
        }
        mia.say("after the cut");
        for (ChatClient listener : List.of(noa, mia)) {
            // The next line heard is the next line said: nothing of the cut came twice.
            assertThat(listener.next("message").path("text").asString()).isEqualTo("after the cut");
        }
    }

    /** What {@code tertulia.cluster.stream.entries} says for {@code via} on {@code node}. */
    private static double entries(ClusterNodes.InJvm node, String via) {
        return Http.sample(Http.get(node.server().http().resolve("/actuator/prometheus")).body(),
                "tertulia_cluster_stream_entries_total{via=\"" + via + "\"}");
    }

    /** Appends a line from mia to the stream as a node that does not publish would. */
    private void unpushed(String text) throws Exception {
        String entry = EventCodec.encode(new RoomEvent.Said(mia.id(), "mia", text, System.currentTimeMillis(), null));
        redis.command("EVAL", """
                local position = string.format('%d', (tonumber(redis.call('GET', KEYS[2])) or 0) + 1)
                redis.call('SET', KEYS[2], position)
                redis.call('XADD', KEYS[1], position .. '-0', 'e', ARGV[1])
                return position""", "2", RedisKeys.DEFAULT.events(), RedisKeys.DEFAULT.position(), entry);
    }

    @Test
    @Order(3)
    void chatResumesAfterEveryNodeLostItsConnections() throws Exception {
        long cut = System.nanoTime();
        redis.command("CLIENT", "KILL", "TYPE", "normal");
        Duration resumed = sayUntilHeard(mia, noa, "after blip");
        System.out.println("CLUSTER-MEASURE chat resumed " + resumed.toMillis() + " ms after a network blip"
                + " (connections killed " + Duration.ofNanos(System.nanoTime() - cut).toMillis() + " ms ago)");
        noa.say("and back");
        assertThat(mia.next(n -> n.path("text").asString().equals("and back")).path("name").asString()).isEqualTo("noa");
    }

    @Test
    @Order(4)
    void roomIsWholeAgainAfterRedisRestartsEmpty() throws Exception {
        URI readiness = a.server().http().resolve("/actuator/health/readiness");
        // Ready again after the blip before: once the reader is back and a heartbeat went through.
        within("readiness after the blip", RECOVERY).until(() -> Http.get(readiness).status() == 200);
        redis.stop();
        mia.say("while redis is down");
        JsonNode error = mia.next("error");
        assertThat(error.path("code").asString()).isEqualTo("not-delivered");
        within("readiness to go down without Redis", RECOVERY).until(() -> Http.get(readiness).status() == 503);
        assertThat(Http.sample(Http.get(a.server().http().resolve("/actuator/prometheus")).body(),
                "tertulia_frames_refused_total{code=\"not-delivered\"}")).isGreaterThanOrEqualTo(1);

        long restarted = System.nanoTime();
        redis.restart();
        within("readiness to come back with Redis", RECOVERY).until(() -> Http.get(readiness).status() == 200);
        // The newcomer below comes through node b: like a balancer, wait until b says it is ready too.
        URI readinessOfB = b.server().http().resolve("/actuator/health/readiness");
        within("node b's readiness to come back with Redis", RECOVERY).until(() -> Http.get(readinessOfB).status() == 200);
        Duration resumed = sayUntilHeard(mia, noa, "after restart");
        System.out.println("CLUSTER-MEASURE chat resumed " + resumed.toMillis() + " ms after Redis restarted empty");

        // The names were re-asserted: a newcomer asking for one gets the suffix.
        try (ChatClient other = ChatClient.connect(b.chat())) {
            assertThat(signInRetrying(other, "mia")).isEqualTo("mia2");
            noa.awaitUserlist(List.of("mia", "noa", "mia2"));
            mia.awaitUserlist(List.of("mia", "noa", "mia2"));
            System.out.println("CLUSTER-MEASURE names and roster whole again "
                    + Duration.ofNanos(System.nanoTime() - restarted).toMillis() + " ms after the restart");

            // And so was the roster: a node that starts now sees everyone.
            try (ClusterNodes.InJvm c = ClusterNodes.start(redis);
                 ChatClient late = ChatClient.connect(c.chat())) {
                assertThat(signInRetrying(late, "ona")).isEqualTo("ona");
                late.awaitUserlist(List.of("mia", "noa", "mia2", "ona"));
            }
        }
    }

    /**
     * Last, as it leaves node a unable to append: the connection the append uses is closed
     * under it (as the Redis client's shutdown closes it while a line is on its way). The
     * sender is told, as for any other Redis failure, and the other node hears nothing.
     */
    @Test
    @Order(5)
    void aLineWhoseRedisConnectionClosedUnderItIsNotDeliveredAndTheSenderIsTold() throws Exception {
        // Every frame before these two is taken, the earlier tests' refusals among them.
        mia.say("before the close");
        assertThat(mia.next(n -> n.path("text").asString().equals("before the close"))).isNotNull();
        assertThat(noa.next(n -> n.path("text").asString().equals("before the close"))).isNotNull();
        ClusterScripts scripts = a.context().getBean(ClusterScripts.class);
        Field direct = ClusterScripts.class.getDeclaredField("direct");
        direct.setAccessible(true);
        ((StatefulRedisConnection<?, ?>) direct.get(scripts)).close();

        mia.say("after the close");

        JsonNode refused = mia.next(n -> n.path("type").asString().equals("error"));
        assertThat(refused.path("code").asString()).isEqualTo("not-delivered");
        noa.say("still here");
        assertThat(noa.next(n -> n.path("type").asString().equals("message")).path("text").asString())
                .isEqualTo("still here");
    }

    /** Says numbered lines until the listener hears one; returns how long that took. */
    static Duration sayUntilHeard(ChatClient speaker, ChatClient listener, String text) {
        long start = System.nanoTime();
        AtomicInteger attempt = new AtomicInteger();
        // Each try waits 300 ms for the line; a line that was not delivered (the speaker is told so) is said again.
        within("chat to resume", RECOVERY).ignoreExceptionsInstanceOf(AssertionError.class).until(() -> {
            speaker.say(text + " " + attempt.getAndIncrement());
            listener.next(n -> n.path("text").asString().startsWith(text), Duration.ofMillis(300));
            return true;
        });
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Signs in, asking again while the cluster answers not-delivered (it settles after a data loss). */
    static String signInRetrying(ChatClient client, String name) {
        AtomicReference<String> given = new AtomicReference<>();
        // Gently: sign-ins have their own rate limit (a burst of 5).
        within("signing in as " + name, RECOVERY).pollInterval(Duration.ofMillis(600)).until(() -> {
            client.sendJson("{\"type\":\"username\",\"id\":" + client.id() + ",\"name\":" + ChatClient.quote(name)
                    + ",\"date\":0}");
            JsonNode answer = client.next(n -> (n.path("type").asString().equals("username") && n.path("id").asLong() == client.id())
                    || n.path("type").asString().equals("error"));
            if (answer.path("type").asString().equals("username")) {
                given.set(answer.path("name").asString());
                return true;
            }
            assertThat(answer.path("code").asString()).isEqualTo("not-delivered");
            return false;
        });
        return given.get();
    }
}
