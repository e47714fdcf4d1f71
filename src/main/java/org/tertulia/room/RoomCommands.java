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

    RoomCommands(RoomProperties settings, MessageEncoder encoder, UsernameRegistry registry, RoomBus bus,
            ConnectionIds ids, Clock clock, RoomView view) {
        this.settings = settings;
        this.encoder = encoder;
        this.registry = registry;
        this.bus = bus;
        this.ids = ids;
        this.clock = clock;
        this.view = view;
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
                signIn(member, signIn.name());
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

    private void signIn(Member member, String requested) {
        if (!admitted(member, member.limits().name(System.nanoTime()), "too many name changes: wait a moment")) {
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
        // The member's monitor orders this against depart(): either the name is published
        // before the member's Left, or the member is gone already and the claim is undone.
        synchronized (member) {
            if (member.isDetached()) {
                registry.release(member.id());
                return;
            }
            member.name(given);
            if (!given.equals(requested)) {
                // Taken when a suffix was needed; invalid when cleaning alone changed it.
                String reason = given.equals(wanted) ? "invalid" : "taken";
                member.send(encoder.encode(new ServerMessage.RejectUsername(member.id(), given, reason)));
            }
            long now = clock.millis();
            bus.publish(previous == null
                    ? new RoomEvent.Joined(member.id(), given, now)
                    : new RoomEvent.Renamed(member.id(), given, now));
        }
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
        if (target != null && !registry.isTaken(target)) {
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
        member.send(encoder.encode(new ServerMessage.Error(code, text)));
    }

    /**
     * The member leaves the room for {@code why}: it hears nothing more, its connection is
     * ended for that reason, and the room is told. Safe to call more than once, from any thread.
     */
    public void depart(Member member, Departure why) {
        if (!view.detach(member)) {
            return;
        }
        member.outbox().close(why);
        synchronized (member) {
            if (member.name() == null) {
                return;
            }
            registry.release(member.id());
            try {
                bus.publish(new RoomEvent.Left(member.id()));
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
