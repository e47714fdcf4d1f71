package org.tertulia.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.unit.DataSize;
import org.tertulia.protocol.Frame;
import org.tertulia.room.Departure;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The outbox's count of bytes not yet written, which the slow-reader limit and the
 * heartbeat's stall check read. Over a Jetty endpoint in memory, written by hand instead of
 * by a flush loop, so every step is the test's.
 */
class SessionOutboxTest {

    private static final Duration SEND_TIMEOUT = Duration.ofMillis(40);

    private final ByteArrayEndPoint endPoint = new ByteArrayEndPoint();
    private final ByteBuffer[] scratch = new ByteBuffer[SessionOutbox.MOST_PER_WRITE];
    private final SessionOutbox outbox = outboxOn(endPoint);
    /** The cut-off's grace timer, for the tests that cut a reader off. */
    private final ThreadPoolTaskScheduler timer = startedTimer();

    @AfterEach
    void stopTimer() {
        timer.shutdown();
    }

    @Test
    void aPingCountsAsPendingUntilItIsWritten() {
        outbox.ping();
        assertThat(outbox.queuedBytes()).isEqualTo(2);

        outbox.writeOut(scratch);

        assertThat(endPoint.takeOutput().remaining()).isEqualTo(2);
        assertThat(outbox.queuedBytes()).isZero();
    }

    @Test
    void aLineAfterAQuietSpellIsNotTakenForAStalledReader() throws InterruptedException {
        // A reader in a quiet room: pinged, nothing else, for longer than the send timeout.
        outbox.ping();
        outbox.writeOut(scratch);
        endPoint.takeOutput();
        Thread.sleep(2 * SEND_TIMEOUT.toMillis());

        Frame line = Frame.of("{\"type\":\"message\",\"text\":\"hello\"}");
        outbox.offer(line); // queued; the loop has not written it yet
        long now = System.nanoTime();

        // Its wait starts now, not at the ping's write.
        assertThat(outbox.stalled(now, SEND_TIMEOUT.toNanos())).isFalse();
        // Left unwritten past the send timeout, it is stalled.
        assertThat(outbox.stalled(now + 2 * SEND_TIMEOUT.toNanos(), SEND_TIMEOUT.toNanos())).isTrue();

        outbox.writeOut(scratch);
        assertThat(endPoint.takeOutput().remaining()).isEqualTo(line.wireBytes());
        assertThat(outbox.queuedBytes()).isZero();
        assertThat(outbox.stalled(System.nanoTime() + 2 * SEND_TIMEOUT.toNanos(), SEND_TIMEOUT.toNanos())).isFalse();
    }

    @Test
    void bytesTakenWithinOneLongWriteAreProgressAndOnlyAWriteThatStopsIsAStall() {
        // A reader that takes 1,000 bytes at a time: one write of four lines takes three turns.
        ByteArrayEndPoint narrow = new ByteArrayEndPoint(new byte[0], 1_000, false);
        SessionOutbox slow = outboxOn(narrow);
        long timeout = SEND_TIMEOUT.toNanos();
        String text = "x".repeat(600);
        for (int i = 0; i < 4; i++) {
            slow.offer(Frame.of("{\"type\":\"message\",\"text\":\"" + text + "\"}"));
        }
        long start = System.nanoTime();
        slow.writeOut(scratch); // one gathering write; the endpoint takes the first 1,000 bytes
        assertThat(narrow.takeOutput().remaining()).isEqualTo(1_000);

        // The write has not ended for twice the send timeout, but bytes left since the last look.
        assertThat(slow.stalled(start + 2 * timeout, timeout)).isFalse();
        // A look within the send timeout of that one: not yet a stall, though nothing moved.
        assertThat(slow.stalled(start + 2 * timeout + timeout / 2, timeout)).isFalse();
        // Nothing taken for longer than the send timeout: stalled.
        assertThat(slow.stalled(start + 4 * timeout, timeout)).isTrue();
        // Taken again (the write goes on), it is progress again.
        assertThat(narrow.takeOutput().remaining()).isEqualTo(1_000);
        assertThat(slow.stalled(start + 5 * timeout, timeout)).isFalse();
        // The rest of the write, and nothing is pending.
        narrow.takeOutput();
        assertThat(slow.queuedBytes()).isZero();
        assertThat(slow.stalled(start + 10 * timeout, timeout)).isFalse();
    }

    @Test
    void aReaderCutOffKeepsOnlyItsCloseFramePending() {
        SessionOutbox cutOff = outboxOn(endPoint, timer);
        for (int i = 0; i < 3; i++) {
            cutOff.offer(Frame.of("{\"type\":\"message\",\"text\":\"line " + i + "\"}"));
        }

        cutOff.close(Departure.SLOW_READER); // drops what waits, then queues the close frame

        int closeFrame = SessionOutbox.closeFrame(CloseCode.SLOW_READER.code(), CloseCode.SLOW_READER.reason())
                .remaining();
        assertThat(cutOff.queuedBytes()).isEqualTo(closeFrame);
        cutOff.writeOut(scratch);
        assertThat(endPoint.takeOutput().remaining()).isEqualTo(closeFrame);
        assertThat(cutOff.queuedBytes()).isZero();
    }

    @Test
    void aCloseFrameBeingWrittenWhenTheReaderIsCutOffGoesOutOnce() {
        // A socket that takes 8 bytes and then waits for the reader, who does not read.
        ByteArrayEndPoint narrow = new ByteArrayEndPoint(new byte[0], 8);
        SessionOutbox closing = outboxOn(narrow, timer);
        closing.close(1000, "the client said goodbye"); // the answer to a client's close, after what waits
        closing.writeOut(scratch); // the close frame's write starts and stops half-way
        int closeFrame = SessionOutbox.closeFrame(1000, "the client said goodbye").remaining();
        assertThat(closing.queuedBytes()).isEqualTo(closeFrame);

        closing.close(Departure.SLOW_READER); // cut off while the close is in flight

        assertThat(closing.queuedBytes()).isEqualTo(closeFrame);
        int written = 0;
        for (int reads = 0; reads < 10 && written < closeFrame; reads++) {
            written += narrow.takeOutput().remaining(); // the reader reads, 8 bytes at a time
        }
        assertThat(written).isEqualTo(closeFrame);
        assertThat(closing.queuedBytes()).isZero();
        closing.writeOut(scratch); // nothing more to write: the close is not sent again
        assertThat(narrow.takeOutput().remaining()).isZero();
        assertThat(closing.queuedBytes()).isZero();
    }

    private static ThreadPoolTaskScheduler startedTimer() {
        ThreadPoolTaskScheduler timer = new ThreadPoolTaskScheduler();
        timer.initialize();
        return timer;
    }

    private static SessionOutbox outboxOn(ByteArrayEndPoint endPoint) {
        return outboxOn(endPoint, null);
    }

    private static SessionOutbox outboxOn(ByteArrayEndPoint endPoint, ThreadPoolTaskScheduler timer) {
        WebProperties settings = new WebProperties(DataSize.ofKilobytes(64), 10, List.of(), List.of(), 1024,
                new WebProperties.Outbox(DataSize.ofMegabytes(1), SEND_TIMEOUT, Duration.ZERO, Duration.ZERO),
                new WebProperties.Heartbeat(Duration.ofSeconds(25), Duration.ofSeconds(10)));
        ThreadPoolTaskExecutor threads = new ThreadPoolTaskExecutor();
        threads.setMaxPoolSize(1);
        FlushLoops loops = new FlushLoops(threads, settings); // not started: the test writes
        WebMetrics metrics = new WebMetrics(new SimpleMeterRegistry(), new OpenConnections(null));
        ChatSocket socket = new ChatSocket(endPoint, Runnable::run, null, null, null, 65_536, timer, Runnable::run);
        SessionOutbox outbox = new SessionOutbox(socket, loops.loopFor(1), settings.outbox().maxQueued().toBytes(),
                timer, metrics);
        socket.outbox(outbox);
        return outbox;
    }
}
