package org.tertulia.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisNoScriptException;
import io.micrometer.core.instrument.DistributionSummary;

import org.tertulia.room.RoomUnavailableException;

/**
 * This node's appends to the shared stream, gathered into calls of {@code append.lua}: one
 * call is at Redis at a time, and the events that come while it is carry on the next, in the
 * order they came. A lone event at a quiet moment goes at once. While calls follow each other
 * closely, the next one waits until {@code linger} has passed since the last was sent, for
 * more events to join it (none with a linger of 0: then only what came during the last call
 * goes together). Each call is one script run, one reply and, for the nodes, one write of
 * pushed entries, however many events it carries; the caller of {@link #append} still waits
 * for its own event's answer.
 *
 * <p>A caller that is not answered within the timeout is told the room is unavailable. If its
 * event had not been sent yet, it never is; if it had, the call carrying it is cancelled, so
 * the events behind it are not held up (its events may still reach Redis, as a single call
 * abandoned at that moment could).
 */
final class AppendQueue implements AutoCloseable {

    /** Most events one call carries, so that one script run never holds Redis long. */
    static final int MOST_PER_CALL = 64;

    /** How a call reaches Redis: the script by its hash, or by its text when Redis lost it. */
    interface Transport {
        CompletableFuture<List<Object>> call(List<String> events, boolean withText);
    }

    private final Transport transport;
    private final long lingerNanos;
    private final long timeoutMillis;
    private final DistributionSummary sizes;
    private final ScheduledThreadPoolExecutor timer;

    // Guarded by this.
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private boolean calling;
    private boolean timerSet;
    private boolean closed;
    private long lastSent;

    /**
     * {@code sizes} records the events of each call; {@code lingerNanos} 0 gathers only what
     * comes while a call is at Redis.
     */
    AppendQueue(Transport transport, long lingerNanos, long timeoutMillis, DistributionSummary sizes) {
        if (lingerNanos < 0) {
            throw new IllegalArgumentException("a linger cannot be negative: " + lingerNanos + " ns");
        }
        this.transport = transport;
        this.lingerNanos = lingerNanos;
        this.timeoutMillis = timeoutMillis;
        this.sizes = sizes;
        this.lastSent = System.nanoTime() - lingerNanos;
        if (lingerNanos > 0) {
            timer = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "cluster-append-linger");
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true);
        } else {
            timer = null;
        }
    }

    /**
     * Appends one event (its seven values, as {@code append.lua} reads them) and waits for its
     * answer: its position, or null when the script found it moot.
     */
    Long append(List<String> values) {
        Pending pending = new Pending(values);
        List<Pending> call;
        synchronized (this) {
            if (closed) {
                throw new RoomUnavailableException("this node is leaving the room", null);
            }
            waiting.add(pending);
            call = calling || timerSet ? null : nextOrSchedule();
        }
        if (call != null) {
            send(call, false);
        }
        return await(pending);
    }

    /** The next call to send now, or null when it must wait for the linger (then the timer is set). Holds this. */
    private List<Pending> nextOrSchedule() {
        long wait = lastSent + lingerNanos - System.nanoTime();
        if (wait <= 0 || waiting.size() >= MOST_PER_CALL) {
            return take();
        }
        timerSet = true;
        timer.schedule(this::lingered, wait, TimeUnit.NANOSECONDS);
        return null;
    }

    /** Takes the next call's events off the queue and marks it under way. Holds this. */
    private List<Pending> take() {
        int count = Math.min(waiting.size(), MOST_PER_CALL);
        List<Pending> call = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            call.add(waiting.poll());
        }
        calling = true;
        lastSent = System.nanoTime();
        return call;
    }

    private void lingered() {
        List<Pending> call = null;
        synchronized (this) {
            timerSet = false;
            if (!calling && !waiting.isEmpty()) {
                call = take();
            }
        }
        if (call != null) {
            send(call, false);
        }
    }

    private void send(List<Pending> call, boolean withText) {
        List<String> events = new ArrayList<>(call.size() * Pending.VALUES);
        for (Pending pending : call) {
            events.addAll(pending.values);
        }
        CompletableFuture<List<Object>> reply;
        try {
            reply = transport.call(events, withText);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        synchronized (this) {
            for (Pending pending : call) {
                pending.call = reply;
            }
        }
        if (!withText) {
            sizes.record(call.size());
        }
        reply.whenComplete((positions, failure) -> answered(call, withText, positions, failure));
    }

    private void answered(List<Pending> call, boolean withText, List<Object> positions, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof RedisNoScriptException && !withText) {
            // Redis lost its script cache (it restarted): the same call again, with the text,
            // before anything behind it.
            send(call, true);
            return;
        }
        for (int i = 0; i < call.size(); i++) {
            Pending pending = call.get(i);
            if (cause != null) {
                pending.answer.completeExceptionally(cause);
            } else if (positions == null || i >= positions.size()) {
                pending.answer.completeExceptionally(new IllegalStateException(
                        "append.lua answered " + (positions == null ? "nothing" : positions.size() + " positions")
                                + " for " + call.size() + " events"));
            } else {
                Object position = positions.get(i);
                pending.answer.complete(position == null || position.toString().isEmpty() ? null
                        : Long.valueOf(position.toString()));
            }
        }
        List<Pending> next = null;
        synchronized (this) {
            calling = false;
            if (!waiting.isEmpty() && !timerSet && !closed) {
                next = nextOrSchedule();
            }
        }
        if (next != null) {
            send(next, false);
        }
    }

    private Long await(Pending pending) {
        try {
            return pending.answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RoomUnavailableException("Redis did not answer: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            abandon(pending);
            throw new RoomUnavailableException("Redis did not answer within " + timeoutMillis + " ms", e);
        } catch (CancellationException e) {
            throw new RoomUnavailableException("the append was cancelled", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(pending);
            throw new RoomUnavailableException("interrupted while waiting for Redis", e);
        }
    }

    /** An event whose caller gave up: never sent if it still waits; otherwise its call is cancelled. */
    private void abandon(Pending pending) {
        CompletableFuture<List<Object>> call;
        synchronized (this) {
            if (waiting.remove(pending)) {
                return;
            }
            call = pending.call;
        }
        if (call != null) {
            call.cancel(false);
        }
    }

    /** Events waiting for a call (for tests). */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Fails every event still waiting; appends fail from now on. */
    @Override
    public void close() {
        List<Pending> left;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(waiting);
            waiting.clear();
        }
        RoomUnavailableException leaving = new RoomUnavailableException("this node is leaving the room", null);
        for (Pending pending : left) {
            pending.answer.completeExceptionally(leaving);
        }
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private static final class Pending {

        static final int VALUES = 7;

        final List<String> values;
        final CompletableFuture<Long> answer = new CompletableFuture<>();
        CompletableFuture<List<Object>> call; // guarded by the queue

        Pending(List<String> values) {
            if (values.size() != VALUES) {
                throw new IllegalArgumentException("an event has " + VALUES + " values, not " + values.size());
            }
            this.values = values;
        }
    }
}
