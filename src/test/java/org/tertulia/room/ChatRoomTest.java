package org.tertulia.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tertulia.protocol.CloseCode;
import org.tertulia.protocol.JsonCodec;

class ChatRoomTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final InMemoryUsernameRegistry registry = new InMemoryUsernameRegistry(32);
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    private ChatRoom room(RoomSettings settings) {
        return new ChatRoom(settings, new JsonCodec(), registry, new LocalRoomBus(), ids::incrementAndGet, clock, scheduler);
    }

    private static RoomSettings unlimited(Duration coalesce) {
        RoomSettings d = RoomSettings.defaults();
        return new RoomSettings(d.maxTextLength(), d.maxNameLength(), 3, 1e9, 1_000_000, 1e9, 1_000_000, 50,
                d.typingInterval(), coalesce, d.userlistBandwidth());
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void joinSendsTheIdFirst() {
        ChatRoom room = room(unlimited(Duration.ZERO));
        RecordingOutbox out = new RecordingOutbox();
        Member member = room.join(out);
        assertThat(out.frames()).containsExactly("{\"type\":\"id\",\"id\":" + member.id() + "}");
    }

    @Test
    void messageCarriesTheRegisteredNameAndServerClockWhateverTheFrameClaims() {
        ChatRoom room = room(unlimited(Duration.ZERO));
        RecordingOutbox aliceOut = new RecordingOutbox();
        RecordingOutbox bobOut = new RecordingOutbox();
        Member alice = room.join(aliceOut);
        Member bob = room.join(bobOut);
        room.receive(alice, "{\"type\":\"username\",\"name\":\"alice\"}");
        room.receive(bob, "{\"type\":\"username\",\"name\":\"bob\"}");
        room.receive(bob, "{\"type\":\"message\",\"id\":" + alice.id() + ",\"name\":\"alice\",\"text\":\"hi\",\"date\":1}");
        assertThat(aliceOut.frames("message")).containsExactly(
                "{\"type\":\"message\",\"id\":" + bob.id() + ",\"name\":\"bob\",\"text\":\"hi\",\"date\":1700000000000}");
    }

    @Test
    void signInBeforeMessageIsRequired() {
        ChatRoom room = room(unlimited(Duration.ZERO));
        RecordingOutbox out = new RecordingOutbox();
        Member member = room.join(out);
        room.receive(member, "{\"type\":\"message\",\"text\":\"hi\"}");
        assertThat(out.frames("error")).singleElement().asString().contains("not-signed-in");
    }

    @Test
    void userlistChangesInOneWindowGoOutAsOneList() throws Exception {
        ChatRoom room = room(unlimited(Duration.ofMillis(200)));
        RecordingOutbox first = new RecordingOutbox();
        Member a = room.join(first);
        room.receive(a, "{\"type\":\"username\",\"name\":\"a\"}");
        for (int i = 0; i < 20; i++) {
            Member m = room.join(new RecordingOutbox());
            room.receive(m, "{\"type\":\"username\",\"name\":\"u" + i + "\"}");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (first.frames("userlist").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(first.frames("userlist")).hasSize(1);
        assertThat(first.frames("userlist").get(0)).contains("\"a\"", "\"u0\"", "\"u19\"");
    }

    @Test
    void listsOfABigRoomGoOutNoFasterThanTheBandwidthAllows() throws Exception {
        RoomSettings d = RoomSettings.defaults();
        // 10 members, a list of about 75 bytes: some 750 bytes a list; at 1,500 bytes/s, ~500 ms apart.
        ChatRoom room = room(new RoomSettings(d.maxTextLength(), d.maxNameLength(), 0, 1e9, 1_000_000, 1e9, 1_000_000,
                50, d.typingInterval(), Duration.ofMillis(10), 1_500));
        RecordingOutbox watcher = new RecordingOutbox();
        Member w = room.join(watcher);
        room.receive(w, "{\"type\":\"username\",\"name\":\"w\"}");
        for (int i = 0; i < 9; i++) {
            room.receive(room.join(new RecordingOutbox()), "{\"type\":\"username\",\"name\":\"m" + i + "\"}");
        }
        awaitList(watcher, "\"m8\"");
        long full = System.nanoTime();
        room.receive(room.join(new RecordingOutbox()), "{\"type\":\"username\",\"name\":\"late\"}");
        awaitList(watcher, "\"late\"");
        assertThat((System.nanoTime() - full) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    private static void awaitList(RecordingOutbox outbox, String holding) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (outbox.frames("userlist").stream().noneMatch(f -> f.contains(holding)) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(outbox.frames("userlist")).anyMatch(f -> f.contains(holding));
    }

    @Test
    void historyIsReplayedOldestFirstAndMarked() {
        ChatRoom room = room(unlimited(Duration.ZERO));
        Member a = room.join(new RecordingOutbox());
        room.receive(a, "{\"type\":\"username\",\"name\":\"a\"}");
        for (int i = 1; i <= 5; i++) {
            room.receive(a, "{\"type\":\"message\",\"text\":\"m" + i + "\"}");
        }
        RecordingOutbox late = new RecordingOutbox();
        Member b = room.join(late);
        room.receive(b, "{\"type\":\"username\",\"name\":\"b\"}");
        List<String> history = late.frames("message");
        assertThat(history).hasSize(3); // history-size 3 in these settings
        assertThat(history.get(0)).contains("\"text\":\"m3\"").endsWith("\"history\":true}");
        assertThat(history.get(2)).contains("\"text\":\"m5\"");
    }

    @Test
    void leavingReleasesTheNameAndTheListForgetsIt() {
        ChatRoom room = room(unlimited(Duration.ZERO));
        RecordingOutbox watcher = new RecordingOutbox();
        Member w = room.join(watcher);
        room.receive(w, "{\"type\":\"username\",\"name\":\"w\"}");
        Member gone = room.join(new RecordingOutbox());
        room.receive(gone, "{\"type\":\"username\",\"name\":\"gone\"}");
        room.leave(gone);
        room.leave(gone);
        assertThat(room.names()).containsExactly("w");
        assertThat(registry.isTaken("gone")).isFalse();
        assertThat(room.connections()).isEqualTo(1);
        List<String> lists = watcher.frames("userlist");
        assertThat(lists.get(lists.size() - 1)).isEqualTo("{\"type\":\"userlist\",\"users\":[\"w\"]}");
    }

    @Test
    void floodingPastTheLimitCloses() {
        RoomSettings d = RoomSettings.defaults();
        ChatRoom room = room(new RoomSettings(d.maxTextLength(), d.maxNameLength(), 0, 0.001, 2, 1, 1, 5,
                d.typingInterval(), Duration.ZERO, d.userlistBandwidth()));
        RecordingOutbox out = new RecordingOutbox();
        Member m = room.join(out);
        for (int i = 0; i < 8; i++) {
            room.receive(m, "{\"type\":\"typing\"}");
        }
        assertThat(out.frames("error")).hasSize(1);
        assertThat(out.closed()).isEqualTo(CloseCode.FLOODING);
    }

    @Test
    void concurrentSendersAreSeenInOneOrderByEveryone() throws Exception {
        ChatRoom room = room(unlimited(Duration.ZERO));
        int clients = 20;
        int perClient = 200;
        List<RecordingOutbox> outs = new ArrayList<>();
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            RecordingOutbox out = new RecordingOutbox();
            Member m = room.join(out);
            room.receive(m, "{\"type\":\"username\",\"name\":\"c" + i + "\"}");
            outs.add(out);
            members.add(m);
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
                    room.receive(m, "{\"type\":\"message\",\"text\":\"" + m.id() + ":" + k + "\"}");
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
