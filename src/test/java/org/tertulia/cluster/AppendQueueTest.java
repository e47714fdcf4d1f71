package org.tertulia.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tertulia.support.Eventually.eventually;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisNoScriptException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tertulia.room.RoomUnavailableException;

/**
 * The gathering of appends, against a Redis stand-in whose calls the test answers by hand:
 * what goes in which call, in what order, and what each caller is told.
 */
class AppendQueueTest {

    /** One call the queue made: the events' ids, whether it sent the script's text, and its answer to give. */
    record Call(List<String> ids, boolean withText, CompletableFuture<List<Object>> reply) {

        /** Answers every event with a position: 100 + its id. */
        void answer() {
            List<Object> positions = new ArrayList<>();
            for (String id : ids) {
                positions.add(Long.toString(100 + Long.parseLong(id)));
            }
            reply.complete(positions);
        }
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final DistributionSummary sizes = DistributionSummary.builder("events").register(registry);
    final ExecutorService callers = Executors.newCachedThreadPool();
    AppendQueue queue;

    final AppendQueue.Transport redis = (events, withText) -> {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i < events.size(); i += 7) {
            ids.add(events.get(i));
        }
        Call call = new Call(ids, withText, new CompletableFuture<>());
        calls.add(call);
        return call.reply();
    };

    @AfterEach
    void stop() {
        callers.shutdownNow();
        if (queue != null) {
            queue.close();
        }
    }

    static List<String> event(long id) {
        return List.of("line", Long.toString(id), "{\"e\":" + id + "}", "", "", "", "");
    }

    Future<Long> append(long id) {
        return callers.submit(() -> queue.append(event(id)));
    }

    Call call(int index) {
        eventually("the queue as expected").untilAsserted(() -> assertThat(calls).hasSizeGreaterThan(index));
        return calls.get(index);
    }

    @Test
    void aLoneEventGoesAtOnceAndIsAnsweredWithItsPosition() throws Exception {
        queue = new AppendQueue(redis, TimeUnit.SECONDS.toNanos(10), 5_000, sizes);
        Future<Long> one = append(1);
        call(0).answer();
        assertThat(one.get(5, TimeUnit.SECONDS)).isEqualTo(101L);
        assertThat(calls.get(0).ids()).containsExactly("1");
        assertThat(calls.get(0).withText()).isFalse();
    }

    @Test
    void eventsThatComeWhileACallIsAtRedisGoTogetherInTheOrderTheyCame() throws Exception {
        queue = new AppendQueue(redis, 0, 5_000, sizes);
        Future<Long> first = append(1);
        Call at = call(0);
        List<Future<Long>> behind = new ArrayList<>();
        for (long id = 2; id <= 6; id++) {
            behind.add(append(id));
            long expected = id - 1;
            eventually("the queue as expected").untilAsserted(() -> assertThat(queueLength()).isEqualTo(expected));
        }
        assertThat(calls).hasSize(1);
        at.answer();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(101L);
        Call next = call(1);
        assertThat(next.ids()).containsExactly("2", "3", "4", "5", "6");
        next.answer();
        for (int i = 0; i < behind.size(); i++) {
            assertThat(behind.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(102L + i);
        }
        assertThat(sizes.count()).isEqualTo(2);
        assertThat(sizes.max()).isEqualTo(5);
    }

    /** How many events wait in the queue (not yet sent), read from what the test has seen go. */
    int queueLength() {
        return queue.waiting();
    }

    @Test
    void whileCallsFollowCloselyTheNextWaitsForTheLingerAndGathersWhatCame() throws Exception {
        long linger = TimeUnit.SECONDS.toNanos(1);
        queue = new AppendQueue(redis, linger, 5_000, sizes);
        long before = System.nanoTime();
        Future<Long> first = append(1);
        call(0).answer();
        first.get(5, TimeUnit.SECONDS);
        Future<Long> second = append(2);
        eventually("the queue as expected").untilAsserted(() -> assertThat(queueLength()).isEqualTo(1));
        Future<Long> third = append(3);
        Call next = call(1);
        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(linger);
        assertThat(next.ids()).containsExactly("2", "3");
        next.answer();
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(102L);
        assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo(103L);
    }

    @Test
    void aMootEventIsAnsweredWithNull() throws Exception {
        queue = new AppendQueue(redis, 0, 5_000, sizes);
        Future<Long> moot = append(1);
        List<Object> empty = new ArrayList<>();
        empty.add("");
        call(0).reply().complete(empty);
        assertThat(moot.get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aCallRefusedForALostScriptIsSentAgainWithItsTextBeforeAnythingBehindIt() throws Exception {
        queue = new AppendQueue(redis, 0, 5_000, sizes);
        Future<Long> first = append(1);
        Call refused = call(0);
        Future<Long> second = append(2);
        eventually("the queue as expected").untilAsserted(() -> assertThat(queueLength()).isEqualTo(1));
        refused.reply().completeExceptionally(new RedisNoScriptException("NOSCRIPT No matching script"));
        Call again = call(1);
        assertThat(again.ids()).containsExactly("1");
        assertThat(again.withText()).isTrue();
        assertThat(calls).hasSize(2);
        again.answer();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(101L);
        Call next = call(2);
        assertThat(next.ids()).containsExactly("2");
        assertThat(next.withText()).isFalse();
        next.answer();
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(102L);
    }

    @Test
    void aFailedCallTellsEachOfItsCallersAndTheQueueGoesOn() throws Exception {
        queue = new AppendQueue(redis, 0, 5_000, sizes);
        Future<Long> first = append(1);
        call(0).reply().completeExceptionally(new IllegalStateException("connection lost"));
        assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RoomUnavailableException.class);
        Future<Long> second = append(2);
        call(1).answer();
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(102L);
    }

    @Test
    void aCallerNotAnsweredInTimeIsToldAndItsCallIsCancelledSoTheQueueGoesOn() throws Exception {
        queue = new AppendQueue(redis, 0, 300, sizes);
        Future<Long> stuck = append(1);
        Call at = call(0);
        assertThatThrownBy(() -> stuck.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RoomUnavailableException.class);
        assertThat(at.reply().isCancelled()).isTrue();
        // Without the cancel the stuck call would hold every later event back.
        Future<Long> next = append(2);
        Call sent = call(1);
        assertThat(sent.ids()).containsExactly("2");
        sent.answer();
        assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo(102L);
    }

    @Test
    void anEventWhoseCallerGaveUpBeforeItWasSentIsNeverSent() throws Exception {
        queue = new AppendQueue(redis, TimeUnit.SECONDS.toNanos(10), 300, sizes);
        Future<Long> first = append(1);
        call(0).answer();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(101L);
        // Within the 10 s linger of the first call: the second waits, and its caller gives up first.
        Future<Long> second = append(2);
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RoomUnavailableException.class);
        assertThat(queueLength()).isZero();
        assertThat(calls).hasSize(1);
    }

    @Test
    void oneCallCarriesAtMostItsLimit() throws Exception {
        queue = new AppendQueue(redis, 0, 5_000, sizes);
        Future<Long> first = append(0);
        Call at = call(0);
        int behind = AppendQueue.MOST_PER_CALL + 3;
        List<Future<Long>> waiting = new ArrayList<>();
        for (int id = 1; id <= behind; id++) {
            waiting.add(append(id));
        }
        eventually("the queue as expected").untilAsserted(() -> assertThat(queueLength()).isEqualTo(behind));
        at.answer();
        call(1).answer();
        call(2).answer();
        assertThat(calls.get(1).ids()).hasSize(AppendQueue.MOST_PER_CALL);
        assertThat(calls.get(2).ids()).hasSize(3);
        first.get(5, TimeUnit.SECONDS);
        for (Future<Long> each : waiting) {
            assertThat(each.get(5, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void closingFailsWhatWaitsAndRefusesWhatComes() throws Exception {
        queue = new AppendQueue(redis, 0, 5_000, sizes);
        Future<Long> first = append(1);
        call(0);
        Future<Long> second = append(2);
        eventually("the queue as expected").untilAsserted(() -> assertThat(queueLength()).isEqualTo(1));
        queue.close();
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RoomUnavailableException.class);
        assertThatThrownBy(() -> queue.append(event(3))).isInstanceOf(RoomUnavailableException.class);
        calls.get(0).answer();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(101L);
        assertThat(calls).hasSize(1);
    }
}
