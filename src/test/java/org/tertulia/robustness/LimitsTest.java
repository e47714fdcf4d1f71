package org.tertulia.robustness;

import static org.tertulia.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.robustness.Wire.isError;
import static org.tertulia.robustness.Wire.isMessage;
import static org.tertulia.robustness.Wire.since;
import static org.tertulia.robustness.Wire.type;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.tertulia.room.RoomView;
import org.tertulia.support.ChatClient;
import org.tertulia.support.RawWebSocket;
import org.tertulia.support.ServerUnderTest;

import tools.jackson.databind.JsonNode;

/**
 * Every per-frame limit with its default from application.yml (see {@link SmallServer}), over the wire: the offender
 * gets the exact error or close code; the bystanders see nothing of it and keep chatting.
 */
@SmallServer
class LimitsTest {

    @LocalServerPort
    int port;

    URI chat;

    @Autowired
    RoomView room;

    @BeforeEach
    void emptyServer() {
        chat = ServerUnderTest.onPort(port).chat();
        // Names too: a departure leaves the connections before it frees its name.
        eventually("the room empty of earlier tests' connections and names")
                .until(() -> room.connections() == 0 && room.names().isEmpty());
    }

    @Test
    void textLongerThanTheLimitGetsTextTooLongAndTheConnectionIsKept() {
        try (ChatClient ann = ChatClient.signedIn(chat, "ann");
             ChatClient ben = ChatClient.signedIn(chat, "ben");
             ChatClient cid = ChatClient.signedIn(chat, "cid")) {
            ben.awaitUserlist(List.of("ann", "ben", "cid"));
            int mark = ben.received().size();

            ann.say("x".repeat(2001));
            assertThat(ann.next("error").path("code").asString()).isEqualTo("text-too-long");

            // The limit counts characters (code points), not UTF-16 units: 2000 emoji pass.
            String atTheLimit = "\uD83D\uDE00".repeat(2000);
            ann.say(atTheLimit);
            assertThat(ben.next("message").path("text").asString()).isEqualTo(atTheLimit);

            bystandersSawNothingFrom("ann", ben, cid, mark, 1);
        }
    }

    @Test
    void textFrameLargerThanTheLimitIsClosedWith1009() {
        try (ChatClient ann = ChatClient.signedIn(chat, "ann");
             ChatClient ben = ChatClient.signedIn(chat, "ben");
             ChatClient cid = ChatClient.signedIn(chat, "cid")) {
            ben.awaitUserlist(List.of("ann", "ben", "cid"));
            int mark = ben.received().size();

            ann.say("x".repeat(64 * 1024 + 1));

            assertThat(ann.awaitClose()).isEqualTo(1009);
            ben.awaitUserlist(List.of("ben", "cid"));
            bystandersSawNothingFrom("ann", ben, cid, mark, 0);
        }
    }

    @Test
    void frameOverTheLimitInBytesIsClosedWith1009EvenWhenItHasFewerCharacters() {
        // 30,000 euro signs: 30,000 UTF-16 units, 90,000 bytes on the wire.
        try (ChatClient ann = ChatClient.signedIn(chat, "ann");
             ChatClient ben = ChatClient.signedIn(chat, "ben");
             ChatClient cid = ChatClient.signedIn(chat, "cid")) {
            ben.awaitUserlist(List.of("ann", "ben", "cid"));
            int mark = ben.received().size();

            ann.say("\u20AC".repeat(30_000));

            assertThat(ann.awaitClose()).isEqualTo(1009);
            ben.awaitUserlist(List.of("ben", "cid"));
            bystandersSawNothingFrom("ann", ben, cid, mark, 0);
        }
    }

    @Test
    void frameJustUnderTheLimitIsReadAndRefusedOnlyForItsText() {
        try (ChatClient ann = ChatClient.signedIn(chat, "ann");
             ChatClient ben = ChatClient.signedIn(chat, "ben")) {
            ann.say("y".repeat(60_000));
            assertThat(ann.next("error").path("code").asString()).isEqualTo("text-too-long");
            ann.say("still fine");
            ben.next(n -> isMessage(n, "still fine"));
            assertThat(ann.isClosed()).isFalse();
        }
    }

    @Test
    void binaryFrameIsClosedWith1003() {
        try (ChatClient ann = ChatClient.signedIn(chat, "ann");
             ChatClient ben = ChatClient.signedIn(chat, "ben");
             ChatClient cid = ChatClient.signedIn(chat, "cid")) {
            ben.awaitUserlist(List.of("ann", "ben", "cid"));
            int mark = ben.received().size();

            ann.sendBinary(new byte[] {1, 2, 3});

            assertThat(ann.awaitClose()).isEqualTo(1003);
            ben.awaitUserlist(List.of("ben", "cid"));
            bystandersSawNothingFrom("ann", ben, cid, mark, 0);
        }
    }

    @Test
    void frameThatBreaksTheWebSocketFramingIsClosedWith1002() {
        try (ChatClient ben = ChatClient.signedIn(chat, "ben");
             ChatClient cid = ChatClient.signedIn(chat, "cid");
             RawWebSocket raw = RawWebSocket.open(port, Wire.headers())) {
            assertThat(raw.status()).isEqualTo(101);
            raw.sendText("{\"type\":\"username\",\"name\":\"raw\"}");
            ben.awaitUserlist(List.of("ben", "cid", "raw"));
            int mark = ben.received().size();

            // Opcode 0x3 is reserved, and this frame is not masked: two protocol errors at once.
            raw.sendRaw(new byte[] {(byte) 0x83, 0x02, 'h', 'i'});

            assertThat(raw.awaitClose(Duration.ofSeconds(10))).isIn(1002, 1006);
            ben.awaitUserlist(List.of("ben", "cid"));
            bystandersSawNothingFrom("raw", ben, cid, mark, 0);
        }
    }

    @Test
    void malformedFramesGetAnErrorAndTheConnectionIsKept() {
        try (ChatClient ann = ChatClient.signedIn(chat, "ann");
             ChatClient ben = ChatClient.signedIn(chat, "ben");
             ChatClient cid = ChatClient.signedIn(chat, "cid")) {
            ben.awaitUserlist(List.of("ann", "ben", "cid"));
            int mark = ben.received().size();

            ann.sendJson("this is not json");
            assertThat(ann.next("error").path("code").asString()).isEqualTo("bad-json");
            ann.sendJson("[1,2,3]");
            assertThat(ann.next("error").path("code").asString()).isEqualTo("bad-json");
            ann.sendJson("{\"type\":\"message\",\"text\":42}");
            assertThat(ann.next("error").path("code").asString()).isEqualTo("bad-field");
            ann.sendJson("{\"type\":\"from-the-future\",\"x\":1}");   // ignored, no answer
            ann.sendJson("{\"type\":\"message\",\"text\":\"hi\",\"target\":\"nobody\"}");
            assertThat(ann.next("error").path("code").asString()).isEqualTo("unknown-target");

            bystandersSawNothingFrom("ann", ben, cid, mark, 0);
            assertThat(since(ann, 0)).filteredOn(n -> type(n).equals("error")).hasSize(4);
        }
    }

    @Test
    void messageBeforeSignInGetsNotSignedIn() {
        try (ChatClient ann = ChatClient.connect(chat);
             ChatClient ben = ChatClient.signedIn(chat, "ben");
             ChatClient cid = ChatClient.signedIn(chat, "cid")) {
            int mark = ben.received().size();
            ann.say("who am I");
            assertThat(ann.next("error").path("code").asString()).isEqualTo("not-signed-in");
            bystandersSawNothingFrom("", ben, cid, mark, 0);
        }
    }

    @Test
    void framesPastTheBurstAreRefusedWithAtMostOneNoticePerSecond() {
        try (ChatClient ann = ChatClient.signedIn(chat, "ann");
             ChatClient ben = ChatClient.signedIn(chat, "ben");
             ChatClient cid = ChatClient.signedIn(chat, "cid")) {
            ben.awaitUserlist(List.of("ann", "ben", "cid"));
            int mark = ben.received().size();

            long start = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                ann.say("burst " + i);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ann.say("burst-end");
            assertThat(ann.next("error").path("code").asString()).isEqualTo("rate-limited");
            // The bucket refills at 10 frames/s: after a moment the sender is heard again.
            String marker = "after the burst";
            eventually("ann is heard again").until(() -> {
                ann.say(marker);
                try {
                    ben.next(n -> isMessage(n, marker), Duration.ofMillis(500));
                    return true;
                } catch (AssertionError notYet) {
                    return false;
                }
            });
            List<JsonNode> annSaw = since(ann, 0);
            long notices = annSaw.stream().filter(n -> isError(n, "rate-limited")).count();
            assertThat(notices).isBetween(1L, 1L + (long) Math.ceil(seconds));
            assertThat(ann.isClosed()).isFalse();

            // Bystanders saw only the accepted part of the burst, in order, and no error.
            List<JsonNode> benSaw = since(ben, mark);
            assertThat(benSaw).noneMatch(n -> type(n).equals("error"));
            List<String> heard = benSaw.stream().filter(n -> type(n).equals("message"))
                    .map(n -> n.path("text").asString()).filter(t -> t.startsWith("burst ")).toList();
            assertThat(heard.size()).isBetween(19, 30);
            assertThat(heard).isSortedAccordingTo((a, b) -> Integer.compare(
                    Integer.parseInt(a.substring(6)), Integer.parseInt(b.substring(6))));
        }
    }

    @Test
    void clientThatKeepsFloodingIsClosedWith1008() {
        try (ChatClient ann = ChatClient.signedIn(chat, "ann");
             ChatClient ben = ChatClient.signedIn(chat, "ben");
             ChatClient cid = ChatClient.signedIn(chat, "cid")) {
            ben.awaitUserlist(List.of("ann", "ben", "cid"));
            int mark = ben.received().size();

            long start = System.nanoTime();
            // 20 frames of burst, then 50 refused in a row: a burst of 100 is well past the point
            // of closing. The client then only listens: a client still writing when the server
            // drops the connection can see the reset before it reads the close frame.
            try {
                for (int i = 0; i < 100 && !ann.isClosed(); i++) {
                    ann.say("flood " + i);
                }
            } catch (RuntimeException e) {
                // the server closed while we were still sending
            }
            assertThat(ann.awaitClose()).as("close (reason or error: %s)", ann.closeReason()).isEqualTo(1008);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(ann.closeReason()).isEqualTo("too many frames");
            long notices = since(ann, 0).stream().filter(n -> isError(n, "rate-limited")).count();
            assertThat(notices).isBetween(1L, 1L + (long) Math.ceil(seconds));

            ben.awaitUserlist(List.of("ben", "cid"));
            String marker = "quiet again " + UUID.randomUUID();
            cid.say(marker);
            ben.next(n -> isMessage(n, marker));
            assertThat(since(ben, mark)).noneMatch(n -> type(n).equals("error"));
            long floodHeard = since(ben, mark).stream()
                    .filter(n -> type(n).equals("message") && n.path("name").asString().equals("ann")).count();
            assertThat(floodHeard).isLessThanOrEqualTo(20 + (long) Math.ceil(seconds * 10) + 1);
        }
    }

    @Test
    void signInsAndRenamesHaveTheirOwnTighterBucket() {
        try (ChatClient ann = ChatClient.signedIn(chat, "ann");
             ChatClient ben = ChatClient.signedIn(chat, "ben");
             ChatClient cid = ChatClient.signedIn(chat, "cid")) {
            ben.awaitUserlist(List.of("ann", "ben", "cid"));
            int mark = ben.received().size();

            // Burst of 5 names: the sign-in took one, four renames pass, the fifth is refused.
            for (int i = 1; i <= 5; i++) {
                ann.sendJson("{\"type\":\"username\",\"name\":\"ann" + (char) ('a' + i) + "\"}");
            }
            assertThat(ann.next("error").path("code").asString()).isEqualTo("rate-limited");
            // Frames other than names still pass.
            ann.say("names are limited, words are not");
            ben.next(n -> isMessage(n, "names are limited, words are not"));
            assertThat(since(ben, mark)).filteredOn(n -> type(n).equals("username"))
                    .extracting(n -> n.path("name").asString())
                    .containsExactly("annb", "annc", "annd", "anne");
            eventually("a userlist with ann's last accepted name").until(() -> since(ben, mark).stream()
                    .anyMatch(n -> type(n).equals("userlist") && ChatClient.names(n).equals(List.of("anne", "ben", "cid"))));
            assertThat(since(ben, mark)).noneMatch(n -> type(n).equals("error"));
        }
    }

    /**
     * {@code two} says a marker; {@code one} must hear it, and between {@code mark} and the
     * marker it must have seen no error and no more than {@code allowed} messages from {@code offender}.
     */
    private static void bystandersSawNothingFrom(String offender, ChatClient one, ChatClient two, int mark,
            int allowed) {
        String marker = "still chatting " + UUID.randomUUID();
        two.say(marker);
        one.next(n -> isMessage(n, marker));
        two.next(n -> isMessage(n, marker));
        List<JsonNode> seen = since(one, mark);
        assertThat(seen).noneMatch(n -> type(n).equals("error"));
        assertThat(seen).filteredOn(n -> type(n).equals("message") && n.path("name").asString().equals(offender))
                .hasSizeLessThanOrEqualTo(allowed);
    }
}
