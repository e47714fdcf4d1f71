package org.tertulia.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.support.Eventually.eventually;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The room's two halves together, as one node runs them: what members see of each other. */
class RoomTest {

    /** Limits out of the way, history of 3, lists at once. */
    private static final String[] UNLIMITED = {
        "history-size", "3", "userlist-coalesce", "0s",
        "rate.frames-per-second", "1e9", "rate.frame-burst", "1000000",
        "rate.names-per-minute", "1e9", "rate.name-burst", "1000000" };

    @Test
    void joinSendsTheIdFirst() {
        try (TestRoom room = new TestRoom(UNLIMITED)) {
            RecordingOutbox out = new RecordingOutbox();
            Member member = room.join(out);
            assertThat(out.frames()).containsExactly("{\"type\":\"id\",\"id\":" + member.id() + "}");
        }
    }

    @Test
    void messageCarriesTheRegisteredNameAndServerClockWhateverTheFrameClaims() {
        try (TestRoom room = new TestRoom(UNLIMITED)) {
            RecordingOutbox aliceOut = new RecordingOutbox();
            Member alice = room.signedIn("alice", aliceOut);
            Member bob = room.signedIn("bob", new RecordingOutbox());
            room.send(bob, "{\"type\":\"message\",\"id\":" + alice.id() + ",\"name\":\"alice\",\"text\":\"hi\",\"date\":1}");
            assertThat(aliceOut.frames("message")).singleElement().asString().startsWith(
                    "{\"type\":\"message\",\"id\":" + bob.id() + ",\"name\":\"bob\",\"text\":\"hi\",\"date\":" + TestRoom.NOW + ",\"pos\":");
        }
    }

    @Test
    void signInBeforeMessageIsRequired() {
        try (TestRoom room = new TestRoom(UNLIMITED)) {
            RecordingOutbox out = new RecordingOutbox();
            Member member = room.join(out);
            room.send(member, "{\"type\":\"message\",\"text\":\"hi\"}");
            assertThat(out.frames("error")).singleElement().asString().contains("not-signed-in");
        }
    }

    @Test
    void aFrameThatCannotBeDecodedIsRefusedAndTheConnectionKept() {
        try (TestRoom room = new TestRoom(UNLIMITED)) {
            RecordingOutbox out = new RecordingOutbox();
            Member member = room.signedIn("ana", out);
            room.send(member, "not json");
            assertThat(out.frames("error")).singleElement().asString().contains("bad-json");
            assertThat(out.closed()).isNull();
        }
    }

    @Test
    void userlistChangesInOneWindowGoOutAsOneList() {
        try (TestRoom room = new TestRoom(UNLIMITED[0], UNLIMITED[1], "userlist-coalesce", "200ms",
                "rate.names-per-minute", "1e9", "rate.name-burst", "1000000")) {
            RecordingOutbox first = new RecordingOutbox();
            room.signedIn("a", first);
            for (int i = 0; i < 20; i++) {
                room.signedIn("u" + i, new RecordingOutbox());
            }
            eventually("a userlist").until(() -> !first.frames("userlist").isEmpty());
            assertThat(first.frames("userlist")).hasSize(1);
            assertThat(first.frames("userlist").get(0)).contains("\"a\"", "\"u0\"", "\"u19\"");
        }
    }

    @Test
    void listsOfABigRoomGoOutNoFasterThanTheBandwidthAllows() {
        // 10 members, a list of about 75 bytes: some 750 bytes a list; at 1,500 bytes/s, ~500 ms apart.
        try (TestRoom room = new TestRoom("history-size", "0", "userlist-coalesce", "10ms",
                "userlist-bandwidth", "1500B", "rate.names-per-minute", "1e9", "rate.name-burst", "1000000")) {
            RecordingOutbox watcher = new RecordingOutbox();
            room.signedIn("w", watcher);
            for (int i = 0; i < 9; i++) {
                room.signedIn("m" + i, new RecordingOutbox());
            }
            awaitList(watcher, "\"m8\"");
            long full = System.nanoTime();
            room.signedIn("late", new RecordingOutbox());
            awaitList(watcher, "\"late\"");
            assertThat((System.nanoTime() - full) / 1_000_000).isGreaterThanOrEqualTo(300);
        }
    }

    private static void awaitList(RecordingOutbox outbox, String holding) {
        eventually("a userlist holding " + holding)
                .until(() -> outbox.frames("userlist").stream().anyMatch(f -> f.contains(holding)));
    }

    @Test
    void historyIsReplayedOldestFirstAndMarked() {
        try (TestRoom room = new TestRoom(UNLIMITED)) {
            Member a = room.signedIn("a", new RecordingOutbox());
            for (int i = 1; i <= 5; i++) {
                room.send(a, "{\"type\":\"message\",\"text\":\"m" + i + "\"}");
            }
            RecordingOutbox late = new RecordingOutbox();
            room.signedIn("b", late);
            List<String> history = late.frames("message");
            assertThat(history).hasSize(3); // history-size 3 in these settings
            assertThat(history.get(0)).contains("\"text\":\"m3\"", "\"history\":true");
            assertThat(history.get(2)).contains("\"text\":\"m5\"");
        }
    }

    @Test
    void leavingReleasesTheNameAndTheListForgetsIt() {
        try (TestRoom room = new TestRoom(UNLIMITED)) {
            RecordingOutbox watcher = new RecordingOutbox();
            room.signedIn("w", watcher);
            RecordingOutbox goneOut = new RecordingOutbox();
            Member gone = room.signedIn("gone", goneOut);
            room.commands.depart(gone, Departure.LEFT);
            room.commands.depart(gone, Departure.LEFT);
            assertThat(room.view.names()).containsExactly("w");
            assertThat(room.registry.held()).isEqualTo(1);
            assertThat(room.view.connections()).isEqualTo(1);
            assertThat(goneOut.closed()).isEqualTo(Departure.LEFT);
            List<String> lists = watcher.frames("userlist");
            assertThat(lists.get(lists.size() - 1)).isEqualTo("{\"type\":\"userlist\",\"users\":[\"w\"]}");
        }
    }

    @Test
    void floodingPastTheLimitSendsTheMemberAwayForThatReason() {
        try (TestRoom room = new TestRoom("history-size", "0", "rate.frames-per-second", "0.001",
                "rate.frame-burst", "2", "rate.flood-limit", "5")) {
            RecordingOutbox watcher = new RecordingOutbox();
            room.signedIn("w", watcher);
            RecordingOutbox out = new RecordingOutbox();
            Member m = room.join(out);
            for (int i = 0; i < 8; i++) {
                room.send(m, "{\"type\":\"typing\"}");
            }
            assertThat(out.frames("error")).hasSize(1);
            assertThat(out.closed()).isEqualTo(Departure.FLOODING);
            assertThat(room.view.connections()).isEqualTo(1);
        }
    }

    @Test
    void concurrentSendersAreSeenInOneOrderByEveryone() throws Exception {
        try (TestRoom room = new TestRoom(UNLIMITED)) {
            int clients = 20;
            int perClient = 200;
            List<RecordingOutbox> outs = new ArrayList<>();
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                RecordingOutbox out = new RecordingOutbox();
                members.add(room.signedIn("c" + i, out));
                outs.add(out);
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            for (Member m : members) {
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int k = 0; k < perClient; k++) {
                        room.send(m, "{\"type\":\"message\",\"text\":\"" + m.id() + ":" + k + "\"}");
                    }
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            List<String> reference = outs.get(0).frames("message");
            assertThat(reference).hasSize(clients * perClient);
            for (RecordingOutbox out : outs) {
                List<String> seen = out.frames("message");
                assertThat(seen.subList(seen.size() - clients * perClient, seen.size())).isEqualTo(reference);
            }
        }
    }
}
