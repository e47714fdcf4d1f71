package org.tertulia.room;

import java.util.ArrayDeque;
import java.util.function.Consumer;

import org.tertulia.protocol.Frame;

/**
 * The last room events this node applied, as the frames its members got, for a client that
 * comes back after a drop: what it missed since the last position it saw, exactly, if that
 * is still here. Not thread-safe: the view guards it.
 */
final class EventLog {

    /** What an entry is, for deciding who gets it again. */
    enum Kind {
        /** A room line: for everyone. */
        LINE,
        /** A private line: for its sender and its target. */
        PRIVATE,
        /** A sign-in, rename or leave notice: for everyone but the session it is about. */
        PRESENCE
    }

    private record Entry(long pos, Kind kind, long id, String targetKey, Frame frame) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries;
    // Every event after this position is here (or was never worth keeping).
    private long floor = Long.MAX_VALUE;

    EventLog(int capacity) {
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.max(capacity, 1));
    }

    /** Events are kept from after {@code position} on; whatever is older is gone. */
    void begin(long position) {
        entries.clear();
        floor = position;
    }

    void add(long pos, Kind kind, long id, String target, Frame frame) {
        if (capacity == 0) {
            floor = pos;
            return;
        }
        if (entries.size() == capacity) {
            floor = entries.removeFirst().pos();
        }
        entries.addLast(new Entry(pos, kind, id, target == null ? null : UsernameRegistry.key(target), frame));
    }

    /** Whether everything after {@code since} is still here. */
    boolean covers(long since) {
        return since >= floor;
    }

    /** The frames after {@code since} that session {@code id}, named {@code name}, would have got, oldest first. */
    void since(long since, long id, String name, Consumer<Frame> out) {
        String key = UsernameRegistry.key(name);
        for (Entry entry : entries) {
            if (entry.pos() > since && isFor(entry, id, key)) {
                out.accept(entry.frame());
            }
        }
    }

    private static boolean isFor(Entry entry, long id, String key) {
        return switch (entry.kind()) {
            case LINE -> true;
            case PRIVATE -> entry.id() == id || key.equals(entry.targetKey());
            case PRESENCE -> entry.id() != id;
        };
    }
}
