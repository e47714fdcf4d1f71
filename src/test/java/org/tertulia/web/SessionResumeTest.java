package org.tertulia.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.support.Eventually.eventually;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;
import org.tertulia.room.RoomView;
import org.tertulia.support.ChatClient;
import org.tertulia.support.ServerUnderTest;

import tools.jackson.databind.JsonNode;

/**
 * A dropped connection is not a departure: a client that comes back with its resume token
 * keeps its name and its place, and gets exactly what it missed; a token that is wrong,
 * expired or another name's takes nothing. Over the real wire, with a server that keeps few
 * events for catch-up and a short grace, so that both limits can be crossed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tertulia.room.replay-size=" + SessionResumeTest.REPLAY,
        "tertulia.room.resume-grace=2s",
        "tertulia.room.presence-notices=3",
        "tertulia.room.rate.frames-per-second=1000",
        "tertulia.room.rate.frame-burst=1000" })
@ExtendWith(OutputCaptureExtension.class)
class SessionResumeTest {

    static final int REPLAY = 5;

    @LocalServerPort
    int port;

    @Autowired
    RoomView room;

    @Autowired
    OpenConnections connections;

    @Autowired
    Heartbeat heartbeat;

    private ServerUnderTest server;

    @BeforeEach
    void emptyRoom() {
        server = ServerUnderTest.onPort(port);
        eventually("the room empty of earlier tests' users").until(() -> room.names().isEmpty());
    }

    private static boolean is(JsonNode frame, String type) {
        return frame.path("type").asString().equals(type);
    }

    private static boolean isAbout(JsonNode frame, long id) {
        return frame.path("id").asLong() == id && (is(frame, "username") || is(frame, "leave"));
    }

    private static List<String> texts(List<JsonNode> frames) {
        return frames.stream().filter(f -> is(f, "message")).map(f -> f.path("text").asString()).toList();
    }

    /** Reads what {@code client} has been sent until the line {@code last} arrives; returns the last position seen. */
    private static long seen(ChatClient client, String last) {
        client.next(f -> is(f, "message") && f.path("text").asString().equals(last));
        return client.lastPosition();
    }

    /**
     * A goodbye is not a drop, even when the heartbeat finds the socket closed before the
     * socket's close callback has told the room: the name is free at once, not reserved for
     * the grace. (A sweep that came between the two used to send the client away as lost.)
     */
    @Test
    void aGoodbyeThatTheHeartbeatSeesFirstFreesTheNameAtOnce() {
        try (ChatClient ana = ChatClient.signedIn(server.chat(), "ana")) {
            ana.awaitUserlist(List.of("ana"));
            Connection connection = connections.all().stream()
                    .filter(c -> c.member() != null && c.member().id() == ana.id()).findFirst().orElseThrow();
            // The socket as it stands between the client's close frame and the close callback.
            ((ChatSocketSession) connection.session()).closed(new CloseStatus(1000, "bye"));
            heartbeat.sweep();
            assertThat(room.names()).isEmpty();
        }
        try (ChatClient again = ChatClient.connect(server.chat())) {
            assertThat(again.signIn("ana")).isEqualTo("ana");
        }
    }

    @Test
    void aClientCutOffUnnoticedComesBackWithItsNameAndGetsExactlyWhatItMissed() {
        try (ChatClient ana = ChatClient.signedIn(server.chat(), "ana");
             ChatClient bruno = ChatClient.signedIn(server.chat(), "bruno")) {
            ana.awaitUserlist(List.of("ana", "bruno"));
            ana.say("before the drop");
            long since = seen(ana, "before the drop");
            String token = ana.token();
            ana.pauseReading(); // the server still thinks ana is there
            int mark = bruno.received().size();
            for (int i = 1; i <= 3; i++) {
                bruno.say("while away " + i);
            }
            seen(bruno, "while away 3");

            try (ChatClient back = ChatClient.connect(server.chat())) {
                JsonNode session = back.signInResuming("ana", token, since);
                assertThat(session.path("resumed").asBoolean()).isTrue();
                assertThat(session.path("missed").asBoolean()).isFalse();
                assertThat(session.path("id").asLong()).isEqualTo(ana.id());
                back.awaitUserlist(List.of("ana", "bruno"));
                assertThat(texts(back.received())).containsExactly("while away 1", "while away 2", "while away 3");
                assertThat(back.received()).noneMatch(f -> is(f, "username") || is(f, "leave")
                        || is(f, "rejectusername"));

                ana.resumeReading();
                assertThat(ana.awaitClose()).isEqualTo(4001);

                back.say("back again");
                JsonNode heard = bruno.next(f -> is(f, "message") && f.path("text").asString().equals("back again"));
                assertThat(heard.path("name").asString()).isEqualTo("ana");
                assertThat(heard.path("id").asLong()).isEqualTo(ana.id());
                // Bruno saw nothing of ana's drop: no leave, no join, always both names in the list.
                assertThat(bruno.receivedFrom(mark)).noneMatch(f -> isAbout(f, ana.id()));
                assertThat(bruno.receivedFrom(mark)).filteredOn(f -> is(f, "userlist"))
                        .allMatch(f -> ChatClient.names(f).contains("ana"));
            }
        }
    }

    @Test
    void whenTheServerNoticedTheDropTheOthersSeeALeaveAndAJoinAndTheReturnerNotItsOwn() {
        try (ChatClient carla = ChatClient.signedIn(server.chat(), "carla");
             ChatClient dario = ChatClient.signedIn(server.chat(), "dario")) {
            carla.awaitUserlist(List.of("carla", "dario"));
            long since = carla.lastPosition();
            String token = carla.token();
            carla.abort();
            JsonNode leave = dario.next("leave");
            assertThat(leave.path("name").asString()).isEqualTo("carla");
            assertThat(leave.path("id").asLong()).isEqualTo(carla.id());
            dario.say("you dropped");
            seen(dario, "you dropped");

            try (ChatClient back = ChatClient.connect(server.chat())) {
                JsonNode session = back.signInResuming("carla", token, since);
                assertThat(session.path("resumed").asBoolean()).isTrue();
                JsonNode join = dario.next(f -> is(f, "username") && f.path("name").asString().equals("carla"));
                assertThat(join.path("id").asLong()).isEqualTo(carla.id());
                back.awaitUserlist(List.of("dario", "carla"));
                assertThat(texts(back.received())).containsExactly("you dropped");
                assertThat(back.received()).noneMatch(f -> isAbout(f, carla.id()));
            }
        }
    }

    @Test
    void privateLinesAreCaughtUpForTheirSenderAndTargetOnly() {
        try (ChatClient eva = ChatClient.signedIn(server.chat(), "eva");
             ChatClient fede = ChatClient.signedIn(server.chat(), "fede");
             ChatClient gala = ChatClient.signedIn(server.chat(), "gala")) {
            eva.awaitUserlist(List.of("eva", "fede", "gala"));
            long since = eva.lastPosition();
            String token = eva.token();
            eva.pauseReading();
            fede.sayTo("eva", "for eva");
            fede.sayTo("gala", "for gala");
            fede.say("for all");
            seen(fede, "for all");
            try (ChatClient back = ChatClient.connect(server.chat())) {
                assertThat(back.signInResuming("eva", token, since).path("missed").asBoolean()).isFalse();
                back.awaitUserlist(List.of("eva", "fede", "gala"));
                assertThat(texts(back.received())).containsExactly("for eva", "for all");
                assertThat(back.received()).filteredOn(f -> is(f, "message") && f.has("target"))
                        .singleElement().satisfies(f -> assertThat(f.path("target").asString()).isEqualTo("eva"));
            }
        }
    }

    @Test
    void aGapLongerThanWhatTheServerKeepsIsSaidSoAndTheRecentLinesFollow() {
        try (ChatClient hana = ChatClient.signedIn(server.chat(), "hana");
             ChatClient ivo = ChatClient.signedIn(server.chat(), "ivo")) {
            hana.awaitUserlist(List.of("hana", "ivo"));
            long since = hana.lastPosition();
            String token = hana.token();
            hana.pauseReading();
            for (int i = 1; i <= 2 * REPLAY; i++) {
                ivo.say("gap line " + i);
            }
            seen(ivo, "gap line " + 2 * REPLAY);
            try (ChatClient back = ChatClient.connect(server.chat())) {
                JsonNode session = back.signInResuming("hana", token, since);
                assertThat(session.path("resumed").asBoolean()).isTrue();
                assertThat(session.path("missed").asBoolean()).isTrue();
                back.awaitUserlist(List.of("hana", "ivo"));
                List<JsonNode> lines = back.received().stream().filter(f -> is(f, "message")).toList();
                assertThat(lines).allMatch(f -> f.path("history").asBoolean());
                assertThat(texts(lines)).endsWith("gap line " + (2 * REPLAY - 1), "gap line " + 2 * REPLAY)
                        .doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void aWrongTokenTakesNothingWhileTheNameIsReservedForItsSession() {
        try (ChatClient jon = ChatClient.signedIn(server.chat(), "jon")) {
            String token = jon.token();
            jon.abort();
            eventually("jon to leave the list").until(() -> !room.names().contains("jon"));
            try (ChatClient intruder = ChatClient.connect(server.chat())) {
                JsonNode session = intruder.signInResuming("jon", token.substring(1) + "x", 0);
                assertThat(session.path("resumed").asBoolean()).isFalse();
                assertThat(session.path("id").asLong()).isEqualTo(intruder.id());
                assertThat(intruder.received()).filteredOn(f -> is(f, "rejectusername"))
                        .singleElement().satisfies(f -> assertThat(f.path("name").asString()).isEqualTo("jon2"));
            }
            try (ChatClient back = ChatClient.connect(server.chat())) {
                assertThat(back.signInResuming("jon", token, 0).path("resumed").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void anotherNamesTokenTakesNothing() {
        try (ChatClient kai = ChatClient.signedIn(server.chat(), "kai");
             ChatClient lia = ChatClient.signedIn(server.chat(), "lia")) {
            String kaisToken = kai.token();
            kai.abort();
            eventually("kai to leave the list").until(() -> !room.names().contains("kai"));
            try (ChatClient eve = ChatClient.connect(server.chat())) {
                JsonNode session = eve.signInResuming("lia", kaisToken, 0);
                assertThat(session.path("resumed").asBoolean()).isFalse();
                assertThat(eve.received()).filteredOn(f -> is(f, "rejectusername"))
                        .singleElement().satisfies(f -> assertThat(f.path("name").asString()).isEqualTo("lia2"));
                eventually("eve listed as lia2").until(() -> room.names().equals(List.of("lia", "lia2")));
            }
        }
    }

    @Test
    void anExpiredTokenTakesNothingAndTheNameIsFreeAgain() throws InterruptedException {
        try (ChatClient mia = ChatClient.signedIn(server.chat(), "mia")) {
            String token = mia.token();
            mia.abort();
            eventually("mia to leave the list").until(() -> !room.names().contains("mia"));
            Thread.sleep(2_500); // past the grace of 2 s
            try (ChatClient other = ChatClient.connect(server.chat())) {
                JsonNode session = other.signInResuming("mia", token, 0);
                assertThat(session.path("resumed").asBoolean()).isFalse();
                other.awaitUserlist(List.of("mia"));
                assertThat(other.received()).noneMatch(f -> is(f, "rejectusername"));
            }
        }
    }

    @Test
    void noTokenAppearsInALogLineOrInAFrameToAnyoneElse(CapturedOutput output) {
        try (ChatClient nia = ChatClient.signedIn(server.chat(), "nia");
             ChatClient olu = ChatClient.signedIn(server.chat(), "olu")) {
            nia.awaitUserlist(List.of("nia", "olu"));
            String token = nia.token();
            nia.pauseReading();
            try (ChatClient back = ChatClient.connect(server.chat())) {
                back.signInResuming("nia", token, nia.lastPosition());
                back.say("resumed");
                seen(olu, "resumed");
            }
            assertThat(output.getAll()).doesNotContain(token);
            assertThat(olu.received()).allMatch(f -> !f.toString().contains(token));
            assertThat(nia.received()).filteredOn(f -> f.toString().contains(token))
                    .singleElement().satisfies(f -> assertThat(is(f, "session")).isTrue());
        }
    }

    @Test
    void aBigRoomAnnouncesASignInToTheNewcomerOnlyAndTheListTellsTheRest() {
        try (ChatClient p1 = ChatClient.signedIn(server.chat(), "p1");
             ChatClient p2 = ChatClient.signedIn(server.chat(), "p2");
             ChatClient p3 = ChatClient.signedIn(server.chat(), "p3")) {
            p1.awaitUserlist(List.of("p1", "p2", "p3"));
            int mark = p1.received().size();
            try (ChatClient p4 = ChatClient.signedIn(server.chat(), "p4")) { // its own username came, or this fails
                p1.awaitUserlist(List.of("p1", "p2", "p3", "p4"));
                p4.close();
                p1.awaitUserlist(List.of("p1", "p2", "p3"));
            }
            assertThat(p1.receivedFrom(mark)).noneMatch(f -> is(f, "username") || is(f, "leave"));
            p3.close();
            assertThat(p1.next("leave").path("name").asString()).isEqualTo("p3");
        }
    }

    @Test
    void positionsOnlyGrow() {
        try (ChatClient q = ChatClient.signedIn(server.chat(), "q")) {
            for (int i = 0; i < 5; i++) {
                q.say("line " + i);
            }
            seen(q, "line 4");
            List<Long> positions = q.received().stream().filter(f -> f.has("pos")).map(f -> f.path("pos").asLong())
                    .toList();
            assertThat(positions).hasSizeGreaterThanOrEqualTo(6).isSorted().doesNotHaveDuplicates();
            assertThat(positions.get(0)).isGreaterThan(Duration.ofDays(365 * 50).toMillis() * 1000);
        }
    }
}
