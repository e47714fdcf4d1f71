package org.tertulia.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.unit.DataSize;
import org.tertulia.protocol.Frame;

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

    private static SessionOutbox outboxOn(ByteArrayEndPoint endPoint) {
        WebProperties settings = new WebProperties(DataSize.ofKilobytes(64), 10, List.of(), List.of(), 1024,
                new WebProperties.Outbox(DataSize.ofMegabytes(1), SEND_TIMEOUT, Duration.ZERO),
                new WebProperties.Heartbeat(Duration.ofSeconds(25), Duration.ofSeconds(10)));
        ThreadPoolTaskExecutor threads = new ThreadPoolTaskExecutor();
        threads.setMaxPoolSize(1);
        FlushLoops loops = new FlushLoops(threads, settings); // not started: the test writes
        ChatSocket socket = new ChatSocket(endPoint, Runnable::run, null, null, null, 65_536, null, Runnable::run);
        // No metrics: they count why a connection ended, and these tests end none.
        SessionOutbox outbox = new SessionOutbox(socket, loops.loopFor(1), settings.outbox().maxQueued().toBytes(),
                null, null);
        socket.outbox(outbox);
        return outbox;
    }
}
