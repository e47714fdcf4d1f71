package org.tertulia.room;

import java.util.function.Consumer;

import org.tertulia.protocol.Frame;
import org.tertulia.protocol.MessageEncoder;
import org.tertulia.protocol.ServerMessage;

/**
 * What the room remembers for those who arrive: the last room lines, replayed as history to
 * a newcomer, and the last events as their frames, so a client that comes back after a drop
 * gets exactly what it missed. Not thread-safe: the view guards it.
 */
final class Recall {

    private final MessageEncoder encoder;
    private final History history;
    private final EventLog log;

    Recall(RoomProperties settings, MessageEncoder encoder) {
        this.encoder = encoder;
        this.history = new History(settings.historySize());
        this.log = new EventLog(settings.replaySize());
    }

    /** Events are remembered one by one from after {@code position} on. */
    void begin(long position) {
        log.begin(position);
    }

    /** A room line at {@code pos}: {@code frame} as it went out; its history form is kept too. */
    void line(long pos, ServerMessage.Chat chat, Frame frame) {
        history.add(encoder.encode(chat.asHistory()));
        log.add(pos, EventLog.Kind.LINE, chat.id(), null, frame);
    }

    /** A private line at {@code pos}, for its sender and target. */
    void privateLine(long pos, ServerMessage.Chat chat, Frame frame) {
        log.add(pos, EventLog.Kind.PRIVATE, chat.id(), chat.target(), frame);
    }

    /** A sign-in, rename or leave notice about session {@code id}, as it went out. */
    void presence(long pos, long id, Frame notice) {
        log.add(pos, EventLog.Kind.PRESENCE, id, null, notice);
    }

    /**
     * What a member arriving in the room as session {@code id} gets before live frames: its
     * session, then exactly what it missed since the position it last saw if it resumed a
     * session and that is all still here, or else the history (said to be a gap when it resumed).
     * Returns whether it was caught up exactly.
     */
    boolean welcome(Member member, Member.Arrival arrival, long id, Consumer<Frame> out) {
        boolean caughtUp = arrival.resumed() && arrival.since() != null && log.covers(arrival.since());
        out.accept(encoder.encode(new ServerMessage.Session(id, arrival.token(), arrival.resumed(),
                arrival.resumed() && !caughtUp)));
        if (caughtUp) {
            log.since(arrival.since(), id, member.name(), out);
        } else {
            history.snapshot().forEach(out);
        }
        return caughtUp;
    }
}
