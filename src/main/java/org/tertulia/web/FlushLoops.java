package org.tertulia.web;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * The threads that write to the sockets, one per core, each serving a share of the
 * connections. A broadcast only queues frames in outboxes and puts each outbox that was idle
 * on its loop's list, waking the loop if it sleeps; the loop then writes everything an outbox
 * has gathered by then in one gathering write. No thread hand-off and no system call per frame.
 *
 * <p>A frame for a connection that was written less than a linger ago waits until a linger
 * has passed since, for others to join it; a frame after a quieter spell goes out at once. So
 * a lone line in a calm room is not delayed, while a busy room's lines leave a few to a write.
 * The linger grows with the room: {@code tertulia.web.outbox.linger-per-member} for each
 * member, at most {@code tertulia.web.outbox.linger}. Each member is then written at most
 * once a linger, so however big the room, its lines cost at most one write per
 * {@code linger-per-member} (40,000 a second by default) until the cap is reached, while a
 * small room, whose few writes cost little, keeps its latency low. The room's size, not this
 * node's share of it, sets the linger, so a room spread over a cluster waits and writes as it
 * would on one node.
 *
 * <p>An outbox that gathers {@link SessionOutbox#WORTH_A_WRITE} bytes while it lingers is
 * written at once: at that size the write pays for itself, and waiting longer would only add
 * latency (and, for a sender that waits for its own lines, cut the room's throughput). On this
 * machine a write system call on a loopback socket costs as much as a dozen frames in it.
 */
@Component
final class FlushLoops implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FlushLoops.class);

    /** Stops after GoingAway, whose goodbyes these loops write, and before the web server. */
    static final int PHASE = GoingAway.PHASE - 256;

    /** How early a linger may end so that several end in one wake-up of the loop. */
    private static final long SLACK_NANOS = 1_000_000;

    private final ThreadPoolTaskExecutor threads;
    private final long mostLingerNanos;
    private final long lingerPerMemberNanos;
    private final Loop[] loops;
    private volatile boolean running;

    FlushLoops(@Qualifier("wsFlushers") ThreadPoolTaskExecutor threads, WebProperties settings) {
        this.threads = threads;
        this.mostLingerNanos = settings.outbox().linger().toNanos();
        this.lingerPerMemberNanos = settings.outbox().lingerPerMember().toNanos();
        this.loops = new Loop[threads.getMaxPoolSize()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new Loop();
        }
    }

    /** How long an outbox whose frames go to {@code recipients} members waits for more. */
    static long lingerNanos(int recipients, long perMemberNanos, long mostNanos) {
        if (recipients <= 0 || perMemberNanos <= 0) {
            return 0;
        }
        return perMemberNanos > mostNanos / recipients ? mostNanos : recipients * perMemberNanos;
    }

    /** The loop that writes for connection {@code id}. */
    Loop loopFor(long id) {
        return loops[(int) Math.floorMod(id, (long) loops.length)];
    }

    @Override
    public void start() {
        running = true;
        for (Loop loop : loops) {
            threads.execute(loop);
        }
    }

    @Override
    public void stop() {
        running = false;
        for (Loop loop : loops) {
            loop.wake();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** One writing thread and the outboxes waiting for it. */
    final class Loop implements Runnable {

        // Outboxes to write now, and outboxes lingering, each with the moment its linger ends.
        // Both are in the order they were listed, which for the second is the order their
        // lingers end while the room's size holds (give or take the moment between reading the
        // clock and adding to the queue). When the room shrinks, a shorter linger may queue
        // behind a longer one and end with it: never later than the longest linger. An outbox
        // written early (it filled up) may still have an entry here: when that entry comes
        // due, writing it writes what has come since, or nothing.
        private final ConcurrentLinkedQueue<SessionOutbox> due = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Lingering> lingering = new ConcurrentLinkedQueue<>();
        // Where an outbox gathers the frames of one write (this loop's thread only).
        private final ByteBuffer[] scratch = new ByteBuffer[SessionOutbox.MOST_PER_WRITE];
        private volatile Thread thread;
        private volatile boolean sleeping;

        /** {@code outbox} has frames to write; it is written on this loop's thread, at once or when its linger ends. */
        void schedule(SessionOutbox outbox) {
            long now = System.nanoTime();
            long lingerNanos = lingerNanos(outbox.recipients(), lingerPerMemberNanos, mostLingerNanos);
            if (lingerNanos > 0 && now - outbox.writtenNanos() < lingerNanos) {
                outbox.lingering(true);
                // A loop asleep with an alarm has set it for the linger at the head of the
                // list, which ends no later than this one: only an entry that is the head
                // itself needs to wake the loop. Asked after adding, not before: a loop that
                // takes the last entry between a look and the add goes to sleep with no alarm,
                // and an entry added behind a head it has taken would never be written.
                Lingering entry = new Lingering(outbox, now + lingerNanos);
                lingering.add(entry);
                if (sleeping && lingering.peek() == entry) {
                    wake();
                }
            } else {
                due.add(outbox);
                if (sleeping) {
                    wake();
                }
            }
        }

        /** A lingering {@code outbox} holds enough to be worth a write of its own: written soon. */
        void promote(SessionOutbox outbox) {
            due.add(outbox);
            if (sleeping) {
                wake();
            }
        }

        private void wake() {
            Thread sleeper = thread;
            if (sleeper != null) {
                LockSupport.unpark(sleeper);
            }
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            while (running && !Thread.currentThread().isInterrupted()) {
                SessionOutbox outbox = due.poll();
                long wait = 0;
                if (outbox == null) {
                    Lingering next = lingering.peek();
                    if (next != null) {
                        wait = next.dueNanos() - System.nanoTime();
                        // Lingers ending within a moment of each other are written in one
                        // wake-up, not one alarm each.
                        if (wait <= SLACK_NANOS) {
                            outbox = lingering.poll().outbox();
                        }
                    }
                }
                if (outbox != null) {
                    try {
                        outbox.writeOut(scratch);
                    } catch (RuntimeException e) {
                        // One connection's fault must not stop the writing for all the others.
                        log.warn("writing to a connection failed", e);
                    }
                    continue;
                }
                sleeping = true;
                // A schedule() after this sees sleeping and wakes us (for a lingering entry, if
                // it is the head: one behind the head comes due with it); one before it left
                // something in a queue, which this check finds.
                if (due.isEmpty() && running) {
                    if (wait > 0) {
                        LockSupport.parkNanos(this, wait);
                    } else if (lingering.isEmpty()) {
                        LockSupport.park(this);
                    }
                }
                sleeping = false;
            }
            thread = null;
        }
    }

    /** An outbox waiting for its linger to end at {@code dueNanos}. */
    private record Lingering(SessionOutbox outbox, long dueNanos) {
    }
}
