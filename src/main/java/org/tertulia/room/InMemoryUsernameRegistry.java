package org.tertulia.room;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** The registry of one node, kept in memory. */
final class InMemoryUsernameRegistry implements UsernameRegistry {

    /** A session: its token's hash, its connection, and until when (nanos) it stays resumable once lost (0: connected). */
    private static final class State {
        final String tokenHash;
        long connection;
        long until;

        State(String tokenHash, long connection) {
            this.tokenHash = tokenHash;
            this.connection = connection;
        }
    }

    private record Lapse(long id, long until) {
    }

    private final int maxLength;
    private final long graceNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Long> holderByKey = new HashMap<>();
    private final Map<Long, String> nameById = new HashMap<>();
    private final Map<Long, State> sessions = new HashMap<>();
    private final Map<String, Long> sessionByToken = new HashMap<>();
    // Lost sessions in the order their grace ends (one grace for all): the head lapses first.
    private final ArrayDeque<Lapse> lapses = new ArrayDeque<>();

    InMemoryUsernameRegistry(int maxLength, Duration grace, LongSupplier nanoClock) {
        this.maxLength = maxLength;
        this.graceNanos = grace.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized String claim(long id, long connection, String wanted, String tokenHash) {
        forgetLapsed();
        String given = wanted;
        for (int suffix = 2; !isFreeFor(id, given); suffix++) {
            given = UsernameRegistry.withSuffix(wanted, suffix, maxLength);
        }
        String old = nameById.remove(id);
        if (old != null) {
            holderByKey.remove(UsernameRegistry.key(old));
        }
        holderByKey.put(UsernameRegistry.key(given), id);
        nameById.put(id, given);
        if (tokenHash != null) {
            sessions.put(id, new State(tokenHash, connection));
            sessionByToken.put(tokenHash, id);
        }
        return given;
    }

    private boolean isFreeFor(long id, String name) {
        Long holder = holderByKey.get(UsernameRegistry.key(name));
        return holder == null || holder == id;
    }

    @Override
    public synchronized void release(long id) {
        String old = nameById.remove(id);
        if (old != null) {
            holderByKey.remove(UsernameRegistry.key(old));
        }
        State session = sessions.remove(id);
        if (session != null) {
            sessionByToken.remove(session.tokenHash);
        }
    }

    @Override
    public synchronized boolean end(long id, long connection, boolean keep) {
        forgetLapsed();
        State session = sessions.get(id);
        if (session == null || session.connection != connection || session.until != 0) {
            return false;
        }
        if (keep) {
            session.until = nanoClock.getAsLong() + graceNanos;
            lapses.addLast(new Lapse(id, session.until));
        } else {
            release(id);
        }
        return true;
    }

    @Override
    public synchronized Session resume(String tokenHash, String name, long connection) {
        forgetLapsed();
        Long id = sessionByToken.get(tokenHash);
        if (id == null || !UsernameRegistry.key(name).equals(UsernameRegistry.key(nameById.get(id)))) {
            return null;
        }
        State session = sessions.get(id);
        session.connection = connection;
        session.until = 0;
        return new Session(id, nameById.get(id));
    }

    /** Lost sessions whose grace is over: their names are free again. */
    private void forgetLapsed() {
        long now = nanoClock.getAsLong();
        while (!lapses.isEmpty() && lapses.peekFirst().until() - now <= 0) {
            Lapse lapse = lapses.removeFirst();
            State session = sessions.get(lapse.id());
            // A session resumed (and perhaps lost again) since has a later lapse of its own.
            if (session != null && session.until == lapse.until()) {
                release(lapse.id());
            }
        }
    }

    @Override
    public synchronized int held() {
        forgetLapsed();
        int held = 0;
        for (Long id : nameById.keySet()) {
            State session = sessions.get(id);
            if (session == null || session.until == 0) {
                held++;
            }
        }
        return held;
    }
}
