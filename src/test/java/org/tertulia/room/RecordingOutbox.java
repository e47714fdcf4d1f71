package org.tertulia.room;

import java.util.ArrayList;
import java.util.List;

import org.tertulia.protocol.Frame;

/** An outbox that keeps every frame offered to it, in order, for assertions. */
final class RecordingOutbox implements Outbox {

    private final List<String> frames = new ArrayList<>();
    private Departure closed;

    @Override
    public synchronized boolean offer(Frame frame) {
        frames.add(frame.json());
        return false;
    }

    @Override
    public void flush(int recipients) {
    }

    @Override
    public synchronized void close(Departure reason) {
        closed = reason;
    }

    synchronized List<String> frames() {
        return List.copyOf(frames);
    }

    synchronized List<String> frames(String type) {
        return frames.stream().filter(f -> f.startsWith("{\"type\":\"" + type + "\"")).toList();
    }

    synchronized Departure closed() {
        return closed;
    }
}
