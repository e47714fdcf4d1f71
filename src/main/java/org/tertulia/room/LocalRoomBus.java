package org.tertulia.room;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The bus of a single node: publishing is delivering, on the publisher's thread, one event
 * at a time. Positions count up from the microseconds since the epoch at start, so a
 * restarted node's positions are above those of the node before it (unless it ordered more
 * than a million events a second on average).
 */
final class LocalRoomBus implements RoomBus {

    private final ReentrantLock order = new ReentrantLock();
    private EventSink sink; // guarded by order
    private long position; // guarded by order

    @Override
    public void start(EventSink sink) {
        order.lock();
        try {
            this.position = System.currentTimeMillis() * 1_000;
            this.sink = sink;
            sink.begin(position);
        } finally {
            order.unlock();
        }
    }

    @Override
    public void stop() {
        order.lock();
        try {
            sink = null;
        } finally {
            order.unlock();
        }
    }

    @Override
    public boolean isReady() {
        order.lock();
        try {
            return sink != null;
        } finally {
            order.unlock();
        }
    }

    @Override
    public void publish(RoomEvent event) {
        order.lock();
        try {
            if (sink != null) {
                sink.apply(++position, event);
            }
        } finally {
            order.unlock();
        }
    }
}
