package org.tertulia.room;

import java.time.Clock;

import org.tertulia.protocol.ClientMessage;
import org.tertulia.protocol.ErrorCode;
import org.tertulia.protocol.MessageEncoder;
import org.tertulia.protocol.Sanitizer;
import org.tertulia.protocol.ServerMessage;

/**
 * The room's way in: takes what members send, already decoded, applies the limits and
 * checks, and publishes what they do on the bus, which puts it into the room's one order.
 * Answers meant for the sender alone (its id, refusals, a changed name) go straight to its
 * outbox. Also where a member leaves, for whatever reason.
 */
public final class RoomCommands {

    private final RoomProperties settings;
    private final MessageEncoder encoder;
    private final UsernameRegistry registry;
    private final RoomBus bus;
    private final ConnectionIds ids;
    private final Clock clock;
    private final RoomView view;
    private final RoomMetrics metrics;

    RoomCommands(RoomProperties settings, MessageEncoder encoder, UsernameRegistry registry, RoomBus bus,
            ConnectionIds ids, Clock clock, RoomView view, RoomMetrics metrics) {
        this.settings = settings;
        this.encoder = encoder;
        this.registry = registry;
        this.bus = bus;
        this.ids = ids;
        this.clock = clock;
        this.view = view;
        this.metrics = metrics;
    }

    /**
     * Whether the room takes newcomers: from when this node has joined the room's order (its
     * bus has begun: at once in memory, once Redis answers in a cluster) until its shutdown
     * begins. A connection let in before would sign in to a room whose events never reach it.
     */
    public boolean isOpen() {
        return view.isOpen();
    }

    /** A new connection: gives it an id and tells it so. */
    public Member join(Outbox outbox) {
        Member member = new Member(ids.next(), outbox, new RateLimits(settings, System.nanoTime()));
        view.attach(member);
        member.send(encoder.encode(new ServerMessage.Id(member.id())));
        return member;
    }

    /** One decoded frame from {@code member}. */
    public void receive(Member member, ClientMessage message) {
        if (!admitted(member, member.limits().frame(System.nanoTime()), "too many frames: slow down")) {
            return;
        }
        try {
            if (message instanceof ClientMessage.Say say) {
                say(member, say);
            } else if (message instanceof ClientMessage.SignIn signIn) {
                signIn(member, signIn);
            } else if (message instanceof ClientMessage.Typing) {
                typing(member);
            } else if (message instanceof ClientMessage.Malformed malformed) {
                refuse(member, malformed.code(), malformed.reason());
            }
            // Unknown types are ignored: a newer client may speak a newer protocol.
        } catch (RoomUnavailableException e) {
            refuse(member, ErrorCode.NOT_DELIVERED, "the room is unavailable just now; your last frame was not delivered");
        }
    }

    /** Acts on a rate-limit verdict: true to go on; otherwise tells, drops, or sends the member away. */
    private boolean admitted(Member member, RateLimits.Verdict verdict, String notice) {
        switch (verdict) {
            case ACCEPT:
                return true;
            case REFUSE_AND_TELL:
                refuse(member, ErrorCode.RATE_LIMITED, notice);
                return false;
            case REFUSE:
                return false;
            default:
                depart(member, Departure.FLOODING);
                return false;
        }
    }

    private void signIn(Member member, ClientMessage.SignIn signIn) {
        if (!admitted(member, member.limits().name(System.nanoTime()), "too many name changes: wait a moment")) {
            return;
        }
        String requested = signIn.name();
        String wanted = Sanitizer.name(requested, settings.maxNameLength());
        if (wanted.isEmpty()) {
            wanted = "guest-" + member.id();
        }
        String previous = member.name();
        if (wanted.equals(previous)) {
            return;
        }
        if (previous == null && signIn.token() != null && resume(member, signIn, wanted)) {
            return;
        }
        String token = previous == null ? ResumeTokens.create() : null;
        String given = registry.claim(member.id(), member.connection(), wanted,
                token == null ? null : ResumeTokens.hash(token));
        // The member's monitor orders this against depart(): either the name is published
        // before the member's Left, or the member is gone already and the claim is undone.
        synchronized (member) {
            if (member.isDetached()) {
                // A first sign-in is undone: nothing was published. A rename is the
                // departure's to end with the session, unless the departure is through already.
                if (previous == null || member.hasLeft()) {
                    registry.release(member.id());
                }
                return;
            }
            member.name(given);
            if (!given.equals(requested)) {
                // Taken when a suffix was needed; invalid when cleaning alone changed it.
                String reason = given.equals(wanted) ? "invalid" : "taken";
                member.send(encoder.encode(new ServerMessage.RejectUsername(member.id(), given, reason)));
            }
            long now = clock.millis();
            if (previous == null) {
                member.arrival(new Member.Arrival(token, false, null));
                bus.publish(new RoomEvent.Joined(member.id(), member.connection(), given, now));
            } else {
                bus.publish(new RoomEvent.Renamed(member.id(), given, now));
            }
        }
    }

    /**
     * A connection presenting the token of a session under that session's name takes it
     * over: same id, same name, and what it missed since {@code since}. False when the token
     * is wrong, expired or another name's: then it signs in as anyone would.
     */
    private boolean resume(Member member, ClientMessage.SignIn signIn, String wanted) {
        UsernameRegistry.Session session = registry.resume(ResumeTokens.hash(signIn.token()), wanted,
                member.connection());
        if (session == null) {
            return false;
        }
        // As in signIn: the monitor orders this against depart(). A member that left while
        // taking the session over has taken it all the same (its old connection is replaced),
        // and leaves it at once, resumable as after any drop.
        synchronized (member) {
            member.resume(session.id(), session.name());
            long now = clock.millis();
            if (!member.isDetached()) {
                member.arrival(new Member.Arrival(signIn.token(), true, signIn.since()));
            }
            bus.publish(new RoomEvent.Resumed(session.id(), member.connection(), session.name(), now));
            if (member.isDetached() && registry.end(session.id(), member.connection(), true)) {
                bus.publish(new RoomEvent.Left(session.id(), member.connection(), now));
            }
        }
        return true;
    }

    private void say(Member member, ClientMessage.Say say) {
        String name = member.name();
        if (name == null) {
            refuse(member, ErrorCode.NOT_SIGNED_IN, "sign in with a username before sending messages");
            return;
        }
        if (Sanitizer.length(say.text()) > settings.maxTextLength()) {
            refuse(member, ErrorCode.TEXT_TOO_LONG, "messages are limited to " + settings.maxTextLength() + " characters");
            return;
        }
        String text = Sanitizer.text(say.text());
        if (text.isBlank()) {
            refuse(member, ErrorCode.BAD_FIELD, "the message is empty");
            return;
        }
        String target = say.target();
        if (target != null && !view.isListed(target)) {
            refuse(member, ErrorCode.UNKNOWN_TARGET, "nobody here is called " + target);
            return;
        }
        bus.publish(new RoomEvent.Said(member.id(), name, text, clock.millis(), target));
    }

    private void typing(Member member) {
        String name = member.name();
        if (name != null && member.limits().typing(System.nanoTime())) {
            bus.publish(new RoomEvent.Typing(member.id(), name));
        }
    }

    private void refuse(Member member, ErrorCode code, String text) {
        metrics.refused(code);
        member.send(encoder.encode(new ServerMessage.Error(code, text)));
    }

    /**
     * The member leaves the room for {@code why}: it hears nothing more, its connection is
     * ended for that reason, and the room is told. Its session ends, or stays resumable for
     * the grace period when the reason says so ({@link Departure#resumable}). Safe to call
     * more than once, from any thread.
     */
    public void depart(Member member, Departure why) {
        if (!view.detach(member)) {
            return;
        }
        member.outbox().close(why);
        synchronized (member) {
            member.left();
            if (member.name() == null) {
                return; // never in the room
            }
            // False when the session went on over another connection: that one is in the room now.
            try {
                if (registry.end(member.id(), member.connection(), why.resumable())) {
                    bus.publish(new RoomEvent.Left(member.id(), member.connection(), clock.millis()));
                }
            } catch (RoomUnavailableException e) {
                // A cluster removes this node's users when it can reach the room again, or when it reaps this node.
            }
        }
    }

    /**
     * Ends every connection of this node for {@code why}, leaving the shared room as it is: on
     * shutdown the bus has stopped already, and a cluster takes this node's users out itself.
     */
    public void departAll(Departure why) {
        for (Member member : view.members()) {
            if (view.detach(member)) {
                member.outbox().close(why);
            }
        }
    }
}
