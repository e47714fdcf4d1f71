package org.tertulia.room;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.scheduling.TaskScheduler;
import org.tertulia.protocol.Frame;
import org.tertulia.protocol.MessageEncoder;
import org.tertulia.protocol.ServerMessage;

/**
 * The room as this node's members see it: applies ordered room events to the roster, the
 * history and the userlist pacing, and fans each one out to this node's signed-in members
 * as one frame encoded once.
 *
 * <p>One lock orders every room-wide frame: under it frames are only queued in outboxes,
 * which never block; the outboxes start writing after it is released.
 */
public final class RoomView {

    private final MessageEncoder encoder;
    private final TaskScheduler scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    // Everything below is guarded by lock.
    private final Map<Long, Member> connected = new HashMap<>();
    private final Map<Long, Member> audience = new LinkedHashMap<>();
    private final Map<Long, String> roster = new LinkedHashMap<>();
    private final History history;
    private final UserlistPacing userlists;
    private final List<Outbox> toFlush = new ArrayList<>();

    RoomView(RoomProperties settings, MessageEncoder encoder, TaskScheduler scheduler) {
        this.encoder = encoder;
        this.scheduler = scheduler;
        this.history = new History(settings.historySize());
        this.userlists = new UserlistPacing(settings.userlistCoalesce().toNanos(),
                settings.userlistBandwidth().toBytes());
    }

    /** A new connection of this node; it hears nothing room-wide until its sign-in is applied. */
    void attach(Member member) {
        lock.lock();
        try {
            connected.put(member.id(), member);
        } finally {
            lock.unlock();
        }
    }

    /** Takes a connection out: it hears nothing more. False when it was out already. */
    boolean detach(Member member) {
        lock.lock();
        try {
            audience.remove(member.id());
            member.detach();
            return connected.remove(member.id()) != null;
        } finally {
            lock.unlock();
        }
    }

    /** Every connection of this node, signed in or not. */
    List<Member> members() {
        lock.lock();
        try {
            return List.copyOf(connected.values());
        } finally {
            lock.unlock();
        }
    }

    /** Connections on this node, signed in or not. */
    public int connections() {
        lock.lock();
        try {
            return connected.size();
        } finally {
            lock.unlock();
        }
    }

    /** The room's signed-in names, in sign-in order, as this node knows them. */
    public List<String> names() {
        lock.lock();
        try {
            return List.copyOf(roster.values());
        } finally {
            lock.unlock();
        }
    }

    /** Applies one ordered event: called by the bus, in order, on any thread. */
    void apply(RoomEvent event) {
        lock.lock();
        try {
            if (event instanceof RoomEvent.Said said) {
                said(said);
            } else if (event instanceof RoomEvent.Typing typing) {
                broadcast(encoder.encode(new ServerMessage.Typing(typing.name())), typing.id());
            } else if (event instanceof RoomEvent.Joined joined) {
                admit(joined.id());
                named(joined.id(), joined.name(), joined.date());
            } else if (event instanceof RoomEvent.Renamed renamed) {
                named(renamed.id(), renamed.name(), renamed.date());
            } else if (event instanceof RoomEvent.Left left) {
                if (roster.remove(left.id()) != null) {
                    userlistChanged();
                }
            }
        } finally {
            unlockAndFlush();
        }
    }

    private void said(RoomEvent.Said said) {
        ServerMessage.Chat chat = new ServerMessage.Chat(said.id(), said.name(), said.text(), said.date(),
                said.target(), false);
        Frame frame = encoder.encode(chat);
        if (said.target() == null) {
            history.add(encoder.encode(chat.asHistory()));
            broadcast(frame, -1);
            return;
        }
        String target = UsernameRegistry.key(said.target());
        for (Member member : audience.values()) {
            if (member.id() == said.id() || target.equals(UsernameRegistry.key(member.name()))) {
                queue(member, frame);
            }
        }
    }

    /** A member of this node signed in: from now on it hears the room, after the history so far. */
    private void admit(long id) {
        Member member = connected.get(id);
        if (member != null && audience.putIfAbsent(id, member) == null) {
            for (Frame past : history.snapshot()) {
                queue(member, past);
            }
        }
    }

    private void named(long id, String name, long date) {
        roster.put(id, name);
        broadcast(encoder.encode(new ServerMessage.Username(id, name, date)), -1);
        userlistChanged();
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
        Frame list = encoder.encode(new ServerMessage.UserList(new ArrayList<>(roster.values())));
        broadcast(list, -1);
        userlists.sent(System.nanoTime(), list.bytes(), audience.size());
    }

    private void broadcast(Frame frame, long except) {
        for (Member member : audience.values()) {
            if (member.id() != except) {
                queue(member, frame);
            }
        }
    }

    private void queue(Member member, Frame frame) {
        if (member.outbox().offer(frame)) {
            toFlush.add(member.outbox());
        }
    }

    private void unlockAndFlush() {
        Outbox[] due = toFlush.isEmpty() ? null : toFlush.toArray(new Outbox[0]);
        toFlush.clear();
        lock.unlock();
        if (due != null) {
            for (Outbox outbox : due) {
                outbox.flush();
            }
        }
    }
}
