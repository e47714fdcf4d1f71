package org.tertulia.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.support.Eventually.eventually;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tertulia.support.ChatClient;
import org.tertulia.support.Http;

import tools.jackson.databind.JsonNode;

/** Three nodes sharing one room through a real Redis: to their users they are one server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterChatIT {

    RedisServer redis;
    List<ClusterNodes.InJvm> nodes = new ArrayList<>();

    @BeforeAll
    void startCluster() {
        redis = RedisServer.start();
        for (int i = 0; i < 3; i++) {
            nodes.add(ClusterNodes.start(redis));
        }
    }

    @AfterAll
    void stopCluster() {
        nodes.forEach(ClusterNodes.InJvm::close);
        if (redis != null) {
            redis.stop();
        }
    }

    /** What a listener that timed out lacks, and every error frame any sender got, for the failure message. */
    private static String missing(List<ChatClient> users, List<String> heard, int clients, int each) {
        StringBuilder account = new StringBuilder("heard ").append(heard.size()).append(" of ")
                .append(clients * each).append("; not heard:");
        for (int s = 0; s < clients; s++) {
            for (int m = 0; m < each; m++) {
                if (!heard.contains("m " + s + " " + m)) {
                    account.append(" [m ").append(s).append(' ').append(m).append(']');
                }
            }
        }
        for (int i = 0; i < users.size(); i++) {
            for (JsonNode frame : users.get(i).received()) {
                if (frame.path("type").asString().equals("error")) {
                    account.append("\n  u").append(i).append(" got ").append(frame);
                }
            }
        }
        return account.toString();
    }

    ClusterNodes.InJvm node(int i) {
        return nodes.get(i % nodes.size());
    }

    @Test
    void usersOnDifferentNodesChatBothWaysAndSeeOneUserlist() {
        try (ChatClient ana = ChatClient.signedIn(node(0).chat(), "ana");
             ChatClient bruno = ChatClient.signedIn(node(1).chat(), "bruno");
             ChatClient carla = ChatClient.signedIn(node(2).chat(), "carla")) {
            List<String> everyone = List.of("ana", "bruno", "carla");
            ana.awaitUserlist(everyone);
            bruno.awaitUserlist(everyone);
            carla.awaitUserlist(everyone);

            ana.say("hola from node 0");
            JsonNode heard = bruno.next("message");
            assertThat(heard.path("name").asString()).isEqualTo("ana");
            assertThat(heard.path("text").asString()).isEqualTo("hola from node 0");
            assertThat(heard.path("id").asLong()).isEqualTo(ana.id());
            assertThat(carla.next("message").path("text").asString()).isEqualTo("hola from node 0");
            assertThat(ana.next("message").path("text").asString()).isEqualTo("hola from node 0");

            bruno.say("hola from node 1");
            assertThat(ana.next("message").path("name").asString()).isEqualTo("bruno");
            assertThat(carla.next("message").path("text").asString()).isEqualTo("hola from node 1");
        }
    }

    @Test
    void idsAreUniqueAcrossNodes() {
        Set<Long> ids = new HashSet<>();
        List<ChatClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 9; i++) {
                ChatClient client = ChatClient.connect(node(i).chat());
                clients.add(client);
                ids.add(client.id());
            }
            assertThat(ids).hasSize(9);
        } finally {
            clients.forEach(ChatClient::close);
        }
    }

    @Test
    void simultaneousClashOnTwoNodesGivesOneTheSuffix() throws Exception {
        try (ChatClient first = ChatClient.connect(node(0).chat());
             ChatClient second = ChatClient.connect(node(1).chat());
             ChatClient third = ChatClient.connect(node(2).chat())) {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> await(go, () -> first.signIn("dora")));
            CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> await(go, () -> second.signIn("dora")));
            go.countDown();
            assertThat(Set.of(a.get(), b.get())).containsExactlyInAnyOrder("dora", "dora2");
            ChatClient loser = a.get().equals("dora2") ? first : second;
            assertThat(loser.received()).anySatisfy(frame -> {
                assertThat(frame.path("type").asString()).isEqualTo("rejectusername");
                assertThat(frame.path("name").asString()).isEqualTo("dora2");
            });
            // Case is ignored across nodes too.
            assertThat(third.signIn("DORA")).isEqualTo("DORA3");
        }
    }

    @Test
    void directMessageReachesItsTargetOnAnotherNodeOnly() {
        try (ChatClient fede = ChatClient.signedIn(node(0).chat(), "fede");
             ChatClient gina = ChatClient.signedIn(node(2).chat(), "gina");
             ChatClient hugo = ChatClient.signedIn(node(1).chat(), "hugo")) {
            hugo.awaitUserlist(List.of("fede", "gina", "hugo"));
            fede.awaitUserlist(List.of("fede", "gina", "hugo"));
            fede.sendJson("{\"type\":\"message\",\"id\":" + fede.id() + ",\"text\":\"psst\",\"target\":\"gina\",\"date\":0}");
            assertThat(gina.next("message").path("text").asString()).isEqualTo("psst");
            assertThat(fede.next("message").path("target").asString()).isEqualTo("gina");
            hugo.say("public");
            assertThat(hugo.next("message").path("text").asString()).isEqualTo("public");
            assertThat(hugo.received()).noneSatisfy(frame -> assertThat(frame.path("text").asString()).isEqualTo("psst"));
        }
    }

    @Test
    void aClientComingBackThroughAnotherNodeKeepsItsNameAndPlaceAndCatchesUpExactly() {
        try (ChatClient rosa = ChatClient.signedIn(node(0).chat(), "rosa");
             ChatClient saul = ChatClient.signedIn(node(1).chat(), "saul")) {
            rosa.awaitUserlist(List.of("rosa", "saul"));
            saul.awaitUserlist(List.of("rosa", "saul"));
            String token = rosa.token();
            long since = rosa.lastPosition();
            rosa.pauseReading(); // node 0 does not notice: its socket stays open
            int mark = saul.received().size();
            saul.say("one");
            saul.say("two");
            saul.next(n -> n.path("text").asString().equals("two"));
            try (ChatClient back = ChatClient.connect(node(2).chat())) {
                JsonNode session = back.signInResuming("rosa", token, since);
                assertThat(session.path("resumed").asBoolean()).isTrue();
                assertThat(session.path("missed").asBoolean()).isFalse();
                assertThat(session.path("id").asLong()).isEqualTo(rosa.id());
                back.awaitUserlist(List.of("rosa", "saul"));
                assertThat(back.received()).filteredOn(n -> n.path("type").asString().equals("message"))
                        .extracting(n -> n.path("text").asString()).containsExactly("one", "two");
                rosa.resumeReading();
                assertThat(rosa.awaitClose()).isEqualTo(4001);
                back.say("from node 2");
                JsonNode heard = saul.next(n -> n.path("text").asString().equals("from node 2"));
                assertThat(heard.path("name").asString()).isEqualTo("rosa");
                assertThat(saul.receivedFrom(mark)).noneMatch(n -> n.path("id").asLong() == rosa.id()
                        && (n.path("type").asString().equals("leave") || n.path("type").asString().equals("username")));
            }
        }
    }

    @Test
    void eachNodeSaysHowFarBehindTheStreamItIsAndHowLongRedisTakes() {
        try (ChatClient tea = ChatClient.signedIn(node(0).chat(), "tea")) {
            tea.say("measured");
            tea.next(n -> n.path("text").asString().equals("measured"));
            for (int i = 0; i < 3; i++) {
                URI metrics = node(i).server().http().resolve("/actuator/prometheus");
                eventually("node " + i + " caught up").until(() ->
                        Http.sample(Http.get(metrics).body(), "tertulia_cluster_stream_lag") == 0);
                String page = Http.get(metrics).body();
                assertThat(Http.sample(page, "tertulia_cluster_redis_commands_seconds_count{command=\"heartbeat\"}"))
                        .isPositive();
            }
            String page = Http.get(node(0).server().http().resolve("/actuator/prometheus")).body();
            assertThat(Http.sample(page, "tertulia_cluster_redis_commands_seconds_count{command=\"append\"}")).isPositive();
            // Lettuce's own per-command observation is left out: ours times every call already.
            assertThat(page).doesNotContain("lettuce_");
        }
    }

    @Test
    void historyIsSharedWithUsersOfOtherNodes() {
        try (ChatClient iris = ChatClient.signedIn(node(0).chat(), "iris")) {
            for (int i = 1; i <= 3; i++) {
                iris.say("history line " + i);
            }
            iris.next(n -> n.path("text").asString().equals("history line 3"));
            try (ChatClient juan = ChatClient.connect(node(2).chat())) {
                juan.signIn("juan");
                juan.awaitUserlist(List.of("iris", "juan"));
                List<String> past = juan.received().stream()
                        .filter(n -> n.path("type").asString().equals("message") && n.path("history").asBoolean())
                        .map(n -> n.path("text").asString())
                        .toList();
                assertThat(past).endsWith("history line 1", "history line 2", "history line 3");
            }
        }
    }

    @Test
    void twentyClientsOnThreeNodesSeeTwoHundredInterleavedMessagesInOneOrder() throws Exception {
        int clients = 20;
        int each = 10;
        List<ChatClient> users = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        try {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                ChatClient user = ChatClient.connect(node(i).chat());
                users.add(user);
                names.add(user.signIn("u" + i));
            }
            for (ChatClient user : users) {
                user.next(n -> n.path("type").asString().equals("userlist") && ChatClient.names(n).containsAll(names));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                ChatClient user = users.get(i);
                int sender = i;
                sent.add(CompletableFuture.runAsync(() -> {
                    await(go, () -> null);
                    for (int m = 0; m < each; m++) {
                        user.say("m " + sender + " " + m);
                    }
                }, senders));
            }
            go.countDown();
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();

            List<List<String>> seen = new ArrayList<>();
            for (ChatClient user : users) {
                List<String> texts = new ArrayList<>();
                try {
                    while (texts.size() < clients * each) {
                        JsonNode frame = user.next(n -> n.path("type").asString().equals("message")
                                && !n.path("history").asBoolean() && n.path("text").asString().startsWith("m "));
                        texts.add(frame.path("text").asString());
                    }
                } catch (AssertionError e) {
                    throw new AssertionError(missing(users, texts, clients, each), e);
                }
                seen.add(texts);
            }
            for (List<String> texts : seen) {
                assertThat(texts).isEqualTo(seen.get(0));
            }
            assertThat(new HashSet<>(seen.get(0))).hasSize(clients * each);
            // Each sender's messages keep the order it sent them in.
            for (int s = 0; s < clients; s++) {
                String prefix = "m " + s + " ";
                List<String> own = seen.get(0).stream().filter(t -> t.startsWith(prefix)).toList();
                List<String> expected = new ArrayList<>();
                for (int m = 0; m < each; m++) {
                    expected.add(prefix + m);
                }
                assertThat(own).isEqualTo(expected);
            }
        } finally {
            senders.shutdownNow();
            users.forEach(ChatClient::close);
        }
    }

    static <T> T await(CountDownLatch go, java.util.function.Supplier<T> then) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return then.get();
    }
}
