package org.tertulia.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is in the room, room-wide, as this node has applied it: each signed-in session with
 * its name and current connection, in sign-in order, and an index by name (case folded).
 * Not thread-safe: the view guards it.
 */
final class Roster {

    /** A session on the roster. */
    static final class Entry {
        final long id;
        String name;
        long connection;

        Entry(long id, String name, long connection) {
            this.id = id;
            this.name = name;
            this.connection = connection;
        }
    }

    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private final Map<String, Long> idByKey = new HashMap<>();

    Entry get(long id) {
        return entries.get(id);
    }

    /** Puts a session on (or back on, under a new name or connection); a newcomer goes last. */
    void put(long id, String name, long connection) {
        Entry entry = entries.get(id);
        if (entry == null) {
            entries.put(id, new Entry(id, name, connection));
        } else {
            idByKey.remove(UsernameRegistry.key(entry.name), id);
            entry.name = name;
            entry.connection = connection;
        }
        idByKey.put(UsernameRegistry.key(name), id);
    }

    void remove(long id) {
        Entry entry = entries.remove(id);
        if (entry != null) {
            idByKey.remove(UsernameRegistry.key(entry.name), id);
        }
    }

    /** Whether someone on the roster is called {@code name}, ignoring case. */
    boolean isListed(String name) {
        return idByKey.containsKey(UsernameRegistry.key(name));
    }

    int size() {
        return entries.size();
    }

    /** The names, in sign-in order. */
    List<String> names() {
        List<String> names = new ArrayList<>(entries.size());
        for (Entry entry : entries.values()) {
            names.add(entry.name);
        }
        return names;
    }
}
