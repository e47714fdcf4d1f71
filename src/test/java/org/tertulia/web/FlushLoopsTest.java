package org.tertulia.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.unit.DataSize;
import org.tertulia.protocol.Frame;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A flush loop's sleep and its wake-ups, on a started loop over Jetty endpoints in memory.
 * The race under test needs the scheduling thread to stall for a moment at one exact point
 * (it once left a connection with frames queued and nothing ever writing them, about once
 * in a few hundred node starts): here the loop's list of lingering outboxes is a queue that
 * holds the scheduling thread at that point until the loop is asleep, so the race is taken
 * every time instead of once in a while.
 */
class FlushLoopsTest {

    /** Two members, 50 ms each: a linger of 100 ms, long enough for the loop to sleep on it. */
    private static final Duration PER_MEMBER = Duration.ofMillis(50);
    private static final int ROOM = 2;

    private final ThreadPoolTaskExecutor threads = new ThreadPoolTaskExecutor();
    private final WebProperties settings = settings(Duration.ofSeconds(1), PER_MEMBER);
    private FlushLoops loops;

    @AfterEach
    void stop() {
        if (loops != null) {
            loops.stop();
        }
        threads.shutdown();
    }

    @Test
    void anOutboxListedWhileTheLoopTakesTheLastLingeringOneAndSleepsIsStillWritten() throws Exception {
        FlushLoops.Loop loop = oneLoop(settings);
        HoldingQueue lingering = new HoldingQueue();
        Field field = FlushLoops.Loop.class.getDeclaredField("lingering");
        field.setAccessible(true);
        field.set(loop, lingering);
        loops.start();

        SessionOutbox first = outbox(loop);
        SessionOutbox second = outbox(loop);
        Frame line = Frame.of("{\"type\":\"message\",\"text\":\"hello\"}");
        // Both written once, so the next frame for either lingers.
        send(first, line);
        send(second, line);
        awaitWritten(first);
        awaitWritten(second);

        // The first lingers 100 ms, and the loop sleeps until then.
        send(first, line);
        // The second is listed while the first is still there; its add is held until the loop
        // has taken the first, written it, and gone to sleep with nothing left to wait for.
        lingering.holdNextAdd();
        send(second, line);

        assertThat(lingering.held()).as("the add waited for the loop to sleep").isTrue();
        awaitWritten(first);
        awaitWritten(second);
    }

    @Test
    void aLingeringOutboxThatGathersAWriteWorthOfBytesIsWrittenAtOnce() throws Exception {
        // A linger of 10 s: the early write, not the linger's end, must write what gathers.
        WebProperties longLinger = settings(Duration.ofSeconds(10), Duration.ofSeconds(5));
        FlushLoops.Loop loop = oneLoop(longLinger);
        loops.start();

        SessionOutbox outbox = outbox(loop, longLinger);
        // Three of these pass SessionOutbox.WORTH_A_WRITE (4,096 bytes); two do not.
        Frame line = Frame.of("{\"type\":\"message\",\"text\":\"" + "x".repeat(1_400) + "\"}");
        assertThat(2 * line.wireBytes()).isLessThan(SessionOutbox.WORTH_A_WRITE);
        assertThat(3 * line.wireBytes()).isGreaterThanOrEqualTo(SessionOutbox.WORTH_A_WRITE);
        send(outbox, line);
        awaitWritten(outbox);
        // Written a moment ago: the next frames linger.
        send(outbox, line);
        send(outbox, line);
        Thread.sleep(300);
        assertThat(outbox.queuedBytes()).as("frames below a write's worth still linger").isEqualTo(2L * line.wireBytes());
        send(outbox, line);
        awaitWritten(outbox);
    }

    /** Settings whose linger is {@code linger} at most and {@code perMember} for each member. */
    private static WebProperties settings(Duration linger, Duration perMember) {
        return new WebProperties(DataSize.ofKilobytes(64), 10, List.of(), List.of(), 1024,
                new WebProperties.Outbox(DataSize.ofMegabytes(1), Duration.ofSeconds(10), linger, perMember),
                new WebProperties.Heartbeat(Duration.ofSeconds(25), Duration.ofSeconds(10)));
    }

    /** One flush loop over one thread, not started yet. */
    private FlushLoops.Loop oneLoop(WebProperties settings) {
        threads.setMaxPoolSize(1);
        threads.setCorePoolSize(1);
        threads.setThreadNamePrefix("flush-test-");
        threads.initialize();
        loops = new FlushLoops(threads, settings);
        return loops.loopFor(1);
    }

    private SessionOutbox outbox(FlushLoops.Loop loop) {
        return outbox(loop, settings);
    }

    private SessionOutbox outbox(FlushLoops.Loop loop, WebProperties settings) {
        ByteArrayEndPoint endPoint = new ByteArrayEndPoint(new byte[0], 65_536); // room for every frame a test writes
        ChatSocket socket = new ChatSocket(endPoint, Runnable::run, null, null, null, 65_536, null, Runnable::run);
        WebMetrics metrics = new WebMetrics(new SimpleMeterRegistry(), new OpenConnections(null));
        SessionOutbox outbox = new SessionOutbox(socket, loop, settings.outbox().maxQueued().toBytes(), null,
                metrics);
        socket.outbox(outbox);
        return outbox;
    }

    private static void send(SessionOutbox outbox, Frame frame) {
        if (outbox.offer(frame)) {
            outbox.flush(ROOM);
        }
    }

    private static void awaitWritten(SessionOutbox outbox) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (outbox.queuedBytes() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(outbox.queuedBytes()).as("bytes left unwritten after 5 s").isZero();
    }

    /**
     * The loop's list of lingering outboxes, which can hold the next add until the list is
     * empty and the loop is parked with no alarm (its thread WAITING, not TIMED_WAITING).
     */
    @SuppressWarnings("serial")
    private static final class HoldingQueue extends ConcurrentLinkedQueue<Object> {

        private final AtomicBoolean hold = new AtomicBoolean();
        private volatile Thread loop;
        private volatile boolean held;

        void holdNextAdd() {
            hold.set(true);
        }

        boolean held() {
            return held;
        }

        @Override
        public Object poll() {
            loop = Thread.currentThread(); // only the loop takes from the list
            return super.poll();
        }

        @Override
        public boolean add(Object entry) {
            if (hold.getAndSet(false)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!(isEmpty() && loop != null && loop.getState() == Thread.State.WAITING)) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the loop never went to sleep with an empty list");
                    }
                    Thread.onSpinWait();
                }
                held = true;
            }
            return super.add(entry);
        }
    }
}
