package org.tertulia.room;

import java.util.ArrayDeque;
import java.util.List;

import org.tertulia.protocol.Frame;

/** The last few room messages, already encoded as history frames. Not thread-safe: the room guards it. */
final class History {

    private final int capacity;
    private final ArrayDeque<Frame> frames;

    History(int capacity) {
        this.capacity = capacity;
        this.frames = new ArrayDeque<>(Math.max(capacity, 1));
    }

    void add(Frame frame) {
        if (capacity == 0) {
            return;
        }
        if (frames.size() == capacity) {
            frames.removeFirst();
        }
        frames.addLast(frame);
    }

    /** Oldest first. */
    List<Frame> snapshot() {
        return List.copyOf(frames);
    }
}
