package org.tertulia.room;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.tertulia.protocol.ClientMessage;
import org.tertulia.protocol.CloseCode;
import org.tertulia.protocol.ErrorCode;
import org.tertulia.protocol.JsonCodec;
import org.tertulia.protocol.ProtocolException;
import org.tertulia.protocol.Sanitizer;
import org.tertulia.protocol.ServerMessage;

/**
 * The chat room: takes decoded frames from members, checks them, puts what they do into
 * one order through the {@link RoomBus}, and fans each ordered event out to this node's
 * members as one frame encoded once.
 *
 * <p>One lock orders every room-wide frame: under it frames are only queued in outboxes,
 * which never block; the outboxes start writing after it is released.
 */
public final class ChatRoom {

    private final RoomSettings settings;
    private final JsonCodec codec;
    private final UsernameRegistry registry;
    private final RoomBus bus;
    private final LongSupplier ids;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    private final ReentrantLock lock = new ReentrantLock();
    // Everything below is guarded by lock.
    private final Map<Long, Member> connected = new LinkedHashMap<>();
    private final Map<Long, Member> audience = new LinkedHashMap<>();
    private final Map<Long, String> roster = new LinkedHashMap<>();
    private final History history;
    private final List<Outbox> toFlush = new ArrayList<>();
    private boolean userlistDue;
    private long userlistSentNanos;
    private long userlistPauseNanos;

    public ChatRoom(RoomSettings settings, JsonCodec codec, UsernameRegistry registry, RoomBus bus,
            LongSupplier ids, Clock clock, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.codec = codec;
        this.registry = registry;
        this.bus = bus;
        this.ids = ids;
        this.clock = clock;
        this.scheduler = scheduler;
        this.history = new History(settings.historySize());
        bus.start(this::apply);
    }

    /** A new connection: gives it an id and tells it so. */
    public Member join(Outbox outbox) {
        Member member = new Member(ids.getAsLong(), outbox, settings, System.nanoTime());
        lock.lock();
        try {
            connected.put(member.id(), member);
        } finally {
            unlockAndFlush();
        }
        send(member, new ServerMessage.Id(member.id()));
        return member;
    }

    /** One text frame from {@code member}, as it came off the wire. */
    public void receive(Member member, String frame) {
        if (!admitted(member, member.admitFrame(System.nanoTime()), "too many frames: slow down")) {
            return;
        }
        ClientMessage message;
        try {
            message = codec.decode(frame);
        } catch (ProtocolException e) {
            send(member, new ServerMessage.Error(e.code(), e.getMessage()));
            return;
        }
        try {
            if (message instanceof ClientMessage.Say say) {
                say(member, say);
            } else if (message instanceof ClientMessage.SignIn signIn) {
                signIn(member, signIn.name());
            } else if (message instanceof ClientMessage.Typing) {
                typing(member);
            }
            // Unknown types are ignored: a newer client may speak a newer protocol.
        } catch (RoomUnavailableException e) {
            send(member, new ServerMessage.Error(ErrorCode.NOT_DELIVERED,
                    "the room is unavailable just now; your last frame was not delivered"));
        }
    }

    /** Acts on a rate-limit decision: true to go on; otherwise tells, drops or disconnects. */
    private boolean admitted(Member member, Member.Admission admission, String notice) {
        switch (admission) {
            case ACCEPT:
                return true;
            case REFUSE_AND_TELL:
                send(member, new ServerMessage.Error(ErrorCode.RATE_LIMITED, notice));
                return false;
            case REFUSE:
                return false;
            default:
                member.outbox().close(CloseCode.FLOODING);
                return false;
        }
    }

    private void signIn(Member member, String requested) {
        if (!admitted(member, member.admitName(System.nanoTime()), "too many name changes: wait a moment")) {
            return;
        }
        String wanted = Sanitizer.name(requested, settings.maxNameLength());
        if (wanted.isEmpty()) {
            wanted = "guest-" + member.id();
        }
        String previous = member.name();
        if (wanted.equals(previous)) {
            return;
        }
        String given = registry.claim(member.id(), wanted);
        lock.lock();
        try {
            if (!connected.containsKey(member.id())) {
                registry.release(member.id()); // it left while the claim was in flight
                return;
            }
            member.name(given);
            if (!given.equals(requested)) {
                // Taken when a suffix was needed; invalid when cleaning alone changed it.
                String reason = given.equals(wanted) ? "invalid" : "taken";
                queue(member, frame(new ServerMessage.RejectUsername(member.id(), given, reason)));
            }
            if (previous == null) {
                audience.put(member.id(), member);
                for (Frame past : history.snapshot()) {
                    queue(member, past);
                }
            }
        } finally {
            unlockAndFlush();
        }
        // A leave() since the lock was released publishes Left; a Joined or Renamed published
        // after it would put the name back in every roster for good. The member's monitor
        // orders the two publications; leave() removes from connected before taking it.
        synchronized (member) {
            if (!isConnected(member)) {
                return;
            }
            long now = clock.millis();
            bus.publish(previous == null
                    ? new RoomEvent.Joined(member.id(), given, now)
                    : new RoomEvent.Renamed(member.id(), given, now));
        }
    }

    private boolean isConnected(Member member) {
        lock.lock();
        try {
            return connected.containsKey(member.id());
        } finally {
            lock.unlock();
        }
    }

    private void say(Member member, ClientMessage.Say say) {
        String name = member.name();
        if (name == null) {
            send(member, new ServerMessage.Error(ErrorCode.NOT_SIGNED_IN, "sign in with a username before sending messages"));
            return;
        }
        if (Sanitizer.length(say.text()) > settings.maxTextLength()) {
            send(member, new ServerMessage.Error(ErrorCode.TEXT_TOO_LONG,
                    "messages are limited to " + settings.maxTextLength() + " characters"));
            return;
        }
        String text = Sanitizer.text(say.text());
        if (text.isBlank()) {
            send(member, new ServerMessage.Error(ErrorCode.BAD_FIELD, "the message is empty"));
            return;
        }
        String target = say.target();
        if (target != null && !registry.isTaken(target)) {
            send(member, new ServerMessage.Error(ErrorCode.UNKNOWN_TARGET, "nobody here is called " + target));
            return;
        }
        bus.publish(new RoomEvent.Said(member.id(), name, text, clock.millis(), target));
    }

    private void typing(Member member) {
        String name = member.name();
        if (name != null && member.mayRelayTyping(System.nanoTime(), settings.typingInterval().toNanos())) {
            bus.publish(new RoomEvent.Typing(member.id(), name));
        }
    }

    /** The connection closed, for whatever reason. Safe to call more than once. */
    public void leave(Member member) {
        boolean signedIn;
        lock.lock();
        try {
            if (connected.remove(member.id()) == null) {
                return;
            }
            signedIn = audience.remove(member.id()) != null;
        } finally {
            unlockAndFlush();
        }
        if (signedIn) {
            registry.release(member.id());
            synchronized (member) {
                try {
                    bus.publish(new RoomEvent.Left(member.id()));
                } catch (RoomUnavailableException e) {
                    // The cluster's expiry of this node's members removes the name later.
                }
            }
        }
    }

    /** Closes every connection with {@code code}; used on shutdown. */
    public void closeAll(CloseCode code) {
        List<Member> all;
        lock.lock();
        try {
            all = new ArrayList<>(connected.values());
        } finally {
            lock.unlock();
        }
        for (Member member : all) {
            member.outbox().close(code);
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
                ServerMessage.Chat chat = new ServerMessage.Chat(said.id(), said.name(), said.text(), said.date(),
                        said.target(), false);
                Frame frame = frame(chat);
                if (said.target() == null) {
                    history.add(frame(chat.asHistory()));
                    broadcast(frame, -1);
                } else {
                    String key = UsernameRegistry.key(said.target());
                    for (Member member : audience.values()) {
                        if (member.id() == said.id() || key.equals(UsernameRegistry.key(member.name()))) {
                            queue(member, frame);
                        }
                    }
                }
            } else if (event instanceof RoomEvent.Typing typing) {
                broadcast(frame(new ServerMessage.Typing(typing.name())), typing.id());
            } else if (event instanceof RoomEvent.Joined joined) {
                roster.put(joined.id(), joined.name());
                broadcast(frame(new ServerMessage.Username(joined.id(), joined.name(), joined.date())), -1);
                userlistChanged();
            } else if (event instanceof RoomEvent.Renamed renamed) {
                roster.put(renamed.id(), renamed.name());
                broadcast(frame(new ServerMessage.Username(renamed.id(), renamed.name(), renamed.date())), -1);
                userlistChanged();
            } else if (event instanceof RoomEvent.Left left) {
                if (roster.remove(left.id()) != null) {
                    userlistChanged();
                }
            }
        } finally {
            unlockAndFlush();
        }
    }

    // Coalescing: a join storm of N sends about one list per window, not N lists of N names.
    // The window grows with the room: after a list that cost B bytes over all members, the
    // next waits at least B / bandwidth, so list traffic stays bounded however big the room.
    private void userlistChanged() {
        if (userlistDue) {
            return;
        }
        userlistDue = true;
        long sincePause = userlistSentNanos + userlistPauseNanos - System.nanoTime();
        long delay = Math.max(settings.userlistCoalesce().toNanos(), sincePause);
        if (delay <= 0) {
            sendUserlist();
        } else {
            scheduler.schedule(this::sendUserlistNow, delay, TimeUnit.NANOSECONDS);
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
        userlistDue = false;
        Frame list = frame(new ServerMessage.UserList(new ArrayList<>(roster.values())));
        broadcast(list, -1);
        userlistSentNanos = System.nanoTime();
        userlistPauseNanos = (long) ((double) list.bytes() * audience.size() / settings.userlistBandwidth() * 1e9);
    }

    private void broadcast(Frame frame, long except) {
        for (Member member : audience.values()) {
            if (member.id() != except) {
                queue(member, frame);
            }
        }
    }

    private Frame frame(ServerMessage message) {
        return Frame.of(codec.encode(message));
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

    /** A frame to one member only, outside the room's order. */
    private void send(Member member, ServerMessage message) {
        if (member.outbox().offer(frame(message))) {
            member.outbox().flush();
        }
    }
}
