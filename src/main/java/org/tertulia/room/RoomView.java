package org.tertulia.room;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.springframework.scheduling.TaskScheduler;
import org.tertulia.protocol.Frame;
import org.tertulia.protocol.MessageEncoder;
import org.tertulia.protocol.ServerMessage;

/**
 * The room as this node's members see it: applies ordered room events to the roster, the
 * history, the catch-up log and the userlist pacing, and fans each one out to this node's
 * signed-in members as one frame encoded once.
 *
 * <p>One lock orders every room-wide frame: under it frames are only queued in outboxes,
 * which never block; the outboxes start writing after it is released.
 */
public final class RoomView {

    private final MessageEncoder encoder;
    private final TaskScheduler scheduler;
    private final int presenceNotices;
    private final ReentrantLock lock = new ReentrantLock();
    // Everything below is guarded by lock.
    private final Map<Long, Member> connected = new HashMap<>(); // by connection
    private final Map<Long, Member> audience = new LinkedHashMap<>(); // by session
    private final Roster roster = new Roster();
    private final Recall recall;
    private final UserlistPacing userlists;
    private final Fanout fanout;
    private final RoomMetrics metrics;
    private volatile boolean open;

    RoomView(RoomProperties settings, MessageEncoder encoder, TaskScheduler scheduler, RoomMetrics metrics) {
        this.encoder = encoder;
        this.metrics = metrics;
        this.fanout = new Fanout(metrics);
        this.scheduler = scheduler;
        this.presenceNotices = settings.presenceNotices();
        this.recall = new Recall(settings, encoder);
        this.userlists = new UserlistPacing(settings.userlistCoalesce().toNanos(),
                settings.userlistBandwidth().toBytes());
    }

    /** A new connection of this node; it hears nothing room-wide until its sign-in is applied. */
    void attach(Member member) {
        locked(() -> connected.put(member.connection(), member));
    }

    /** Takes a connection out: it hears nothing more. False when it was out already. */
    boolean detach(Member member) {
        return locked(() -> {
            audience.remove(member.id(), member);
            member.detach();
            return connected.remove(member.connection()) != null;
        });
    }

    /** Every connection of this node, signed in or not. */
    List<Member> members() {
        return locked(() -> List.copyOf(connected.values()));
    }

    /** Connections on this node, signed in or not. */
    public int connections() {
        return locked(connected::size);
    }

    /** Users signed in on this node. */
    public int signedIn() {
        return locked(audience::size);
    }

    /** The room's signed-in names, in sign-in order, as this node knows them. */
    public List<String> names() {
        return locked(roster::names);
    }

    /** Whether someone in the room is called {@code name}, ignoring case. */
    boolean isListed(String name) {
        return locked(() -> roster.isListed(name));
    }

    /** What a bus delivers the room's order to: this view's {@link #begin} and {@link #apply}. */
    EventSink sink() {
        return new EventSink() {
            @Override
            public void begin(long position) {
                RoomView.this.begin(position);
            }

            @Override
            public void apply(long position, RoomEvent event) {
                RoomView.this.apply(position, event);
            }
        };
    }

    /** The events that follow come after {@code position}. */
    void begin(long position) {
        locked(() -> {
            recall.begin(position);
            return null;
        });
        open = true;
    }

    /** No newcomers from now on: the node is leaving the room. */
    void close() {
        open = false;
    }

    /** Whether this node follows the room's order, so that a newcomer would see it. */
    boolean isOpen() {
        return open;
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Applies one ordered event: called by the bus, in order, on any thread. */
    void apply(long pos, RoomEvent event) {
        lock.lock();
        try {
            if (event instanceof RoomEvent.Said said) {
                said(pos, said);
            } else if (event instanceof RoomEvent.Typing typing) {
                fanout.toAll(audience.values(), encoder.encode(new ServerMessage.Typing(typing.name())), typing.id());
            } else if (event instanceof RoomEvent.Joined joined) {
                joined(pos, joined.id(), joined.connection(), joined.name(), joined.date(), false);
            } else if (event instanceof RoomEvent.Renamed renamed) {
                renamed(pos, renamed);
            } else if (event instanceof RoomEvent.Left left) {
                left(pos, left);
            } else if (event instanceof RoomEvent.Resumed resumed) {
                resumed(pos, resumed);
            }
        } finally {
            unlockAndFlush();
        }
    }

    private void said(long pos, RoomEvent.Said said) {
        ServerMessage.Chat chat = new ServerMessage.Chat(said.id(), said.name(), said.text(), said.date(),
                said.target(), false, pos);
        Frame frame = encoder.encode(chat);
        metrics.line(said.target() == null);
        if (said.target() == null) {
            recall.line(pos, chat, frame);
            fanout.toAll(audience.values(), frame, -1);
            return;
        }
        recall.privateLine(pos, chat, frame);
        String target = UsernameRegistry.key(said.target());
        for (Member member : audience.values()) {
            if (member.id() == said.id() || target.equals(UsernameRegistry.key(member.name()))) {
                fanout.to(member, frame);
            }
        }
    }

    /**
     * Puts a session on the roster and welcomes it if it is this node's. In a small room
     * everyone is told (the newcomer too, as the MDN client expects); in a big one only the
     * newcomer, and the userlist tells the rest. A resumed session is not told of itself.
     */
    private void joined(long pos, long id, long connection, String name, long date, boolean resumed) {
        roster.put(id, name, connection);
        Frame notice = encoder.encode(new ServerMessage.Username(id, name, null, date, pos));
        boolean everyone = roster.size() <= presenceNotices;
        if (everyone) {
            recall.presence(pos, id, notice);
        }
        Member newcomer = welcome(connection, id);
        if (everyone) {
            fanout.toAll(audience.values(), notice, resumed ? id : -1);
        } else if (newcomer != null && !resumed) {
            fanout.to(newcomer, notice);
        }
        userlistChanged();
    }

    private void renamed(long pos, RoomEvent.Renamed renamed) {
        Roster.Entry entry = roster.get(renamed.id());
        String previous = entry == null ? null : entry.name;
        roster.put(renamed.id(), renamed.name(), entry == null ? renamed.id() : entry.connection);
        Frame notice = encoder.encode(new ServerMessage.Username(renamed.id(), renamed.name(), previous,
                renamed.date(), pos));
        recall.presence(pos, renamed.id(), notice);
        fanout.toAll(audience.values(), notice, -1);
        userlistChanged();
    }

    private void left(long pos, RoomEvent.Left left) {
        Roster.Entry entry = roster.get(left.id());
        if (entry == null || entry.connection != left.connection()) {
            return; // the session went on over another connection: this one's leaving is moot
        }
        if (roster.size() <= presenceNotices) {
            Frame notice = encoder.encode(new ServerMessage.Leave(left.id(), entry.name, left.date(), pos));
            recall.presence(pos, left.id(), notice);
            fanout.toAll(audience.values(), notice, left.id());
        }
        roster.remove(left.id());
        userlistChanged();
    }

    /**
     * A session goes on over a new connection. Whoever still listens on its old connection
     * (another tab, or a socket this node has not yet found dead) is replaced; the others see
     * nothing, unless the session had left the list meanwhile, when it joins again.
     */
    private void resumed(long pos, RoomEvent.Resumed resumed) {
        Member old = audience.get(resumed.id());
        if (old != null && old.connection() != resumed.connection()) {
            audience.remove(resumed.id());
            old.outbox().close(Departure.REPLACED);
        }
        Roster.Entry entry = roster.get(resumed.id());
        if (entry == null) {
            joined(pos, resumed.id(), resumed.connection(), resumed.name(), resumed.date(), true);
        } else {
            entry.connection = resumed.connection();
            welcome(resumed.connection(), resumed.id());
        }
    }

    /**
     * A member of this node is in the room from this event on: it gets its session, then
     * what it missed (or the history), then live frames. A resumed session gets exactly what
     * it missed since the position it last saw, if this node still has it all. Returns the
     * member welcomed, or null when the connection is not this node's (or was welcomed before).
     */
    private Member welcome(long connection, long id) {
        Member member = connected.get(connection);
        Member.Arrival arrival = member == null ? null : member.arrival();
        if (arrival == null || audience.putIfAbsent(id, member) != null) {
            return null;
        }
        member.arrival(null);
        boolean caughtUp = recall.welcome(member, arrival, id, frame -> fanout.to(member, frame));
        if (arrival.resumed()) {
            metrics.resumed(caughtUp);
        }
        if (arrival.resumed()) {
            fanout.to(member, encoder.encode(new ServerMessage.UserList(roster.names())));
        }
        return member;
    }

    private void userlistChanged() {
        long delay = userlists.changed(System.nanoTime());
        if (delay == 0) {
            sendUserlist();
        } else if (delay > 0) {
            scheduler.schedule(this::sendUserlistNow, Instant.now().plusNanos(delay));
        }
    }

    private void sendUserlistNow() {
        lock.lock();
        try {
            sendUserlist();
        } finally {
            unlockAndFlush();
        }
    }

    private void sendUserlist() {
        Frame list = encoder.encode(new ServerMessage.UserList(roster.names()));
        fanout.toAll(audience.values(), list, -1);
        metrics.userlistSent();
        userlists.sent(System.nanoTime(), list.bytes(), audience.size());
    }

    private void unlockAndFlush() {
        Outbox[] due = fanout.takeDue();
        int recipients = roster.size();
        lock.unlock();
        if (due != null) {
            for (Outbox outbox : due) {
                outbox.flush(recipients);
            }
        }
    }
}
