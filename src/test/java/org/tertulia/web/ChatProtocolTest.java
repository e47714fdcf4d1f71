package org.tertulia.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.tertulia.support.ChatClient;
import org.tertulia.support.ServerUnderTest;

import tools.jackson.databind.JsonNode;

/** The chat protocol over the real wire: a server on a random port, real WebSocket clients. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatProtocolTest {

    @LocalServerPort
    int port;

    private ServerUnderTest server;

    @BeforeEach
    void server() {
        server = ServerUnderTest.onPort(port);
    }

    private static boolean isType(JsonNode frame, String type) {
        return frame.path("type").asString().equals(type);
    }

    /**
     * The first frame matching, among those received from position {@code from} on, whether or
     * not a {@code next(...)} already skipped past it; otherwise the next one to arrive.
     */
    private static JsonNode receivedOrNext(ChatClient client, int from, Predicate<JsonNode> matching) {
        return client.receivedFrom(from).stream().filter(matching).findFirst()
                .orElseGet(() -> client.next(matching));
    }

    @Test
    void subprotocolJsonIsSelectedWhenOffered() {
        try (ChatClient client = ChatClient.connect(server.chat(), "json")) {
            assertThat(client.subprotocol()).isEqualTo("json");
        }
    }

    @Test
    void clientOfferingNoSubprotocolIsAccepted() {
        try (ChatClient client = ChatClient.connect(server.chat(), null)) {
            assertThat(client.subprotocol()).isEmpty();
            assertThat(client.id()).isPositive();
        }
    }

    @Test
    void everyConnectionGetsItsOwnId() {
        try (ChatClient a = ChatClient.connect(server.chat()); ChatClient b = ChatClient.connect(server.chat())) {
            assertThat(a.id()).isNotEqualTo(b.id());
        }
    }

    @Test
    void signInIsAnnouncedAndListedForEveryone() {
        try (ChatClient ann = ChatClient.signedIn(server.chat(), "ann");
             ChatClient lurker = ChatClient.connect(server.chat());
             ChatClient ben = ChatClient.signedIn(server.chat(), "ben")) {
            JsonNode announced = ann.next(f -> isType(f, "username") && f.path("name").asString().equals("ben"));
            assertThat(announced.path("id").asLong()).isEqualTo(ben.id());
            ann.awaitUserlist(List.of("ann", "ben"));
            ben.awaitUserlist(List.of("ann", "ben"));
            assertThat(lurker.drain()).as("nothing room-wide before sign-in").isEmpty();
        }
    }

    @Test
    void duplicateNameGetsSmallestFreeSuffixAndOnlyTheSenderIsTold() {
        try (ChatClient first = ChatClient.signedIn(server.chat(), "carla");
             ChatClient second = ChatClient.connect(server.chat())) {
            second.sendJson("{\"type\":\"username\",\"id\":" + second.id() + ",\"name\":\"CARLA\",\"date\":0}");
            JsonNode rejected = second.next("rejectusername");
            assertThat(rejected.path("name").asString()).isEqualTo("CARLA2");
            assertThat(rejected.path("reason").asString()).isEqualTo("taken");
            assertThat(rejected.path("id").asLong()).isEqualTo(second.id());
            first.awaitUserlist(List.of("carla", "CARLA2"));
            assertThat(first.received()).noneMatch(f -> isType(f, "rejectusername"));
        }
    }

    @Test
    void emptyNameGetsAGeneratedOne() {
        try (ChatClient client = ChatClient.connect(server.chat())) {
            client.sendJson("{\"type\":\"username\",\"name\":\"   \"}");
            JsonNode rejected = client.next("rejectusername");
            assertThat(rejected.path("name").asString()).isEqualTo("guest-" + client.id());
            assertThat(rejected.path("reason").asString()).isEqualTo("invalid");
        }
    }

    @Test
    void renameKeepsThePlaceInTheListAndSaysTheOldName() {
        try (ChatClient dora = ChatClient.signedIn(server.chat(), "dora");
             ChatClient eve = ChatClient.signedIn(server.chat(), "eve")) {
            dora.awaitUserlist(List.of("dora", "eve"));
            assertThat(dora.signIn("dorothy")).isEqualTo("dorothy");
            JsonNode renamed = eve.next(f -> isType(f, "username") && f.path("name").asString().equals("dorothy"));
            assertThat(renamed.path("previous").asString()).isEqualTo("dora");
            assertThat(renamed.path("id").asLong()).isEqualTo(dora.id());
            eve.awaitUserlist(List.of("dorothy", "eve"));
        }
    }

    @Test
    void spoofedIdCanNeitherRenameNorSpeakAsAnother() {
        try (ChatClient victim = ChatClient.signedIn(server.chat(), "victim");
             ChatClient mallory = ChatClient.signedIn(server.chat(), "mallory")) {
            int before = victim.received().size();
            mallory.sendJson("{\"type\":\"username\",\"id\":" + victim.id() + ",\"name\":\"owned\"}");
            mallory.sendJson("{\"type\":\"message\",\"id\":" + victim.id() + ",\"name\":\"victim\",\"text\":\"i am victim\"}");
            JsonNode message = victim.next("message");
            assertThat(message.path("name").asString()).isEqualTo("owned");
            assertThat(message.path("id").asLong()).isEqualTo(mallory.id());
            // Userlists are coalesced, so this one may come before the message (and next() skipped it) or after.
            receivedOrNext(victim, before, f -> isType(f, "userlist")
                    && ChatClient.names(f).equals(List.of("victim", "owned")));
            assertThat(victim.received()).as("no username frame renames the victim")
                    .noneMatch(f -> isType(f, "username") && f.path("id").asLong() == victim.id()
                            && !f.path("name").asString().equals("victim"));
        }
    }

    @Test
    void markupIsStrippedFromTextAndNamesButPlainTextSurvives() {
        try (ChatClient reader = ChatClient.signedIn(server.chat(), "reader");
             ChatClient writer = ChatClient.connect(server.chat())) {
            writer.sendJson("{\"type\":\"username\",\"name\":\"<img src=x onerror=alert(1)>zed<script>\"}");
            assertThat(writer.next("rejectusername").path("name").asString()).isEqualTo("zed");
            writer.say("<img src=x onerror=alert(1)>hi <b>there</b>, 1 < 2 and a<3 <script>alert(2)</script>");
            JsonNode message = reader.next("message");
            assertThat(message.path("text").asString()).isEqualTo("hi there, 1 < 2 and a<3 alert(2)");
            assertThat(message.path("name").asString()).isEqualTo("zed");
        }
    }

    @Test
    void emojiAndNonLatinTextRoundTrip() {
        String text = "¡Hola! 😀👩‍💻 日本語 ÅÆØ";
        try (ChatClient a = ChatClient.signedIn(server.chat(), "😀 fan"); ChatClient b = ChatClient.signedIn(server.chat(), "b")) {
            a.say(text);
            JsonNode message = b.next("message");
            assertThat(message.path("text").asString()).isEqualTo(text);
            assertThat(message.path("name").asString()).isEqualTo("😀 fan");
        }
    }

    @Test
    void textArrivesAsSentWithCombiningMarksJoinersAndAstralCharacters() {
        // e + combining acute (not NFC), a ZWJ family, a flag, a skin tone, and mathematical fraktur (astral).
        String text = "cafe\u0301 \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 \uD83C\uDDF3\uD83C\uDDF4 "
                + "\uD83D\uDC4D\uD83C\uDFFD \uD835\uDD04\uD835\uDD05";
        try (ChatClient a = ChatClient.signedIn(server.chat(), "hal"); ChatClient b = ChatClient.signedIn(server.chat(), "ida")) {
            a.say(text);
            assertThat(b.next("message").path("text").asString()).isEqualTo(text);
            assertThat(a.next("message").path("text").asString()).isEqualTo(text);
        }
    }

    @Test
    void signingInGivesTheClientItsSessionBeforeTheHistoryAndItsOwnSignIn() {
        try (ChatClient jo = ChatClient.connect(server.chat())) {
            jo.signIn("jo");
            List<String> types = jo.received().stream().map(f -> f.path("type").asString())
                    .filter(t -> !t.equals("message")).toList();
            assertThat(types).startsWith("id", "session", "username");
            JsonNode session = jo.received().get(1);
            assertThat(session.path("id").asLong()).isEqualTo(jo.id());
            assertThat(session.path("token").asString()).matches("[A-Za-z0-9_-]{22}");
            assertThat(session.path("resumed").asBoolean()).isFalse();
        }
    }

    @Test
    void malformedJsonGetsAnErrorAndTheConnectionLives() {
        try (ChatClient a = ChatClient.signedIn(server.chat(), "fay"); ChatClient b = ChatClient.signedIn(server.chat(), "gus")) {
            for (String garbage : List.of("{nope", "[1,2,3]", "\"text\"", "null")) {
                a.sendJson(garbage);
                JsonNode error = a.next("error");
                assertThat(error.path("code").asString()).as(garbage).isEqualTo("bad-json");
                assertThat(error.path("text").asString()).isNotBlank();
            }
            a.say("still here");
            assertThat(b.next("message").path("text").asString()).isEqualTo("still here");
            assertThat(b.received()).noneMatch(f -> isType(f, "error"));
        }
    }

    @Test
    void unknownTypeIsIgnored() {
        try (ChatClient a = ChatClient.signedIn(server.chat(), "hal"); ChatClient b = ChatClient.signedIn(server.chat(), "ivy")) {
            a.sendJson("{\"type\":\"hologram\",\"payload\":{\"x\":1}}");
            a.say("after");
            JsonNode next = a.next(f -> isType(f, "message") || isType(f, "error"));
            assertThat(next.path("text").asString()).isEqualTo("after");
            assertThat(b.next("message").path("text").asString()).isEqualTo("after");
        }
    }

    @Test
    void messageBeforeSignInIsRefused() {
        try (ChatClient a = ChatClient.connect(server.chat())) {
            a.say("hello?");
            assertThat(a.next("error").path("code").asString()).isEqualTo("not-signed-in");
        }
    }

    @Test
    void directMessageReachesTheTargetAndEchoesToTheSenderOnly() {
        try (ChatClient jo = ChatClient.signedIn(server.chat(), "jo");
             ChatClient kim = ChatClient.signedIn(server.chat(), "kim");
             ChatClient lou = ChatClient.signedIn(server.chat(), "lou")) {
            jo.awaitUserlist(List.of("jo", "kim", "lou"));
            jo.sendJson("{\"type\":\"message\",\"text\":\"psst\",\"target\":\"KIM\"}");
            jo.say("to all");
            JsonNode atKim = kim.next("message");
            assertThat(atKim.path("text").asString()).isEqualTo("psst");
            assertThat(atKim.path("target").asString()).isEqualTo("KIM");
            assertThat(jo.next("message").path("text").asString()).isEqualTo("psst");
            assertThat(lou.next("message").path("text").asString()).isEqualTo("to all");
        }
    }

    @Test
    void directMessageToNobodyIsAnError() {
        try (ChatClient a = ChatClient.signedIn(server.chat(), "max")) {
            a.sendJson("{\"type\":\"message\",\"text\":\"hello\",\"target\":\"nobody-here\"}");
            assertThat(a.next("error").path("code").asString()).isEqualTo("unknown-target");
        }
    }

    @Test
    void historyIsReplayedOnSignIn() {
        try (ChatClient a = ChatClient.signedIn(server.chat(), "ned")) {
            String marker = "history-" + System.nanoTime();
            a.say(marker);
            a.next(f -> isType(f, "message") && f.path("text").asString().equals(marker));
            try (ChatClient late = ChatClient.signedIn(server.chat(), "ola")) {
                List<JsonNode> earlier = late.received().stream().filter(f -> isType(f, "message")).toList();
                JsonNode replayed = earlier.stream().filter(f -> f.path("text").asString().equals(marker)).findFirst()
                        .orElseGet(() -> late.next(f -> f.path("text").asString().equals(marker)));
                assertThat(replayed.path("history").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void typingIsRelayedToOthersOnly() {
        try (ChatClient a = ChatClient.signedIn(server.chat(), "pam"); ChatClient b = ChatClient.signedIn(server.chat(), "quin")) {
            a.sendJson("{\"type\":\"typing\",\"id\":" + a.id() + "}");
            assertThat(b.next("typing").path("name").asString()).isEqualTo("pam");
            a.say("done typing");
            a.next("message");
            assertThat(a.received()).noneMatch(f -> isType(f, "typing"));
        }
    }

    @Test
    void twentyClientsSeeTwoHundredInterleavedMessagesInOneOrder() throws Exception {
        int clients = 20;
        int each = 10;
        List<ChatClient> all = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                all.add(ChatClient.signedIn(server.chat(), "order" + i));
            }
            String run = "run" + System.nanoTime() + ":";
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < clients; i++) {
                ChatClient c = all.get(i);
                int sender = i;
                pool.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int k = 0; k < each; k++) {
                        c.say(run + sender + ":" + k);
                    }
                });
            }
            go.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            List<List<String>> seen = new ArrayList<>();
            for (ChatClient c : all) {
                List<String> texts = new ArrayList<>();
                while (texts.size() < clients * each) {
                    JsonNode m = c.next(f -> isType(f, "message") && f.path("text").asString().startsWith(run),
                            Duration.ofSeconds(20));
                    texts.add(m.path("text").asString());
                }
                seen.add(texts);
            }
            for (List<String> texts : seen) {
                assertThat(texts).isEqualTo(seen.get(0));
            }
            assertThat(seen.get(0)).doesNotHaveDuplicates().hasSize(clients * each);
        } finally {
            all.forEach(ChatClient::close);
        }
    }
}
