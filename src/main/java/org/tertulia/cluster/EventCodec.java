package org.tertulia.cluster;

import org.tertulia.room.RoomEvent;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Room events as they travel on the shared stream: compact JSON with one-letter keys
 * ({@code {"t":"S","i":7,"n":"ana","x":"hi","d":1700000000000}}), so a busy room costs
 * Redis little memory and bandwidth. The Lua reaper writes Left events in this same form.
 */
final class EventCodec {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * t: type (J joined, R renamed, L left, U resumed, S said, T typing); i: session id;
     * c: connection; n: name; x: text; d: date; g: target.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Wire(String t, Long i, Long c, String n, String x, Long d, String g) {
    }

    private EventCodec() {
    }

    static String encode(RoomEvent event) {
        Wire wire;
        if (event instanceof RoomEvent.Joined j) {
            wire = new Wire("J", j.id(), j.connection(), j.name(), null, j.date(), null);
        } else if (event instanceof RoomEvent.Renamed r) {
            wire = new Wire("R", r.id(), null, r.name(), null, r.date(), null);
        } else if (event instanceof RoomEvent.Left l) {
            wire = new Wire("L", l.id(), l.connection(), null, null, l.date(), null);
        } else if (event instanceof RoomEvent.Resumed u) {
            wire = new Wire("U", u.id(), u.connection(), u.name(), null, u.date(), null);
        } else if (event instanceof RoomEvent.Said s) {
            wire = new Wire("S", s.id(), null, s.name(), s.text(), s.date(), s.target());
        } else if (event instanceof RoomEvent.Typing t) {
            wire = new Wire("T", t.id(), null, t.name(), null, null, null);
        } else {
            throw new IllegalArgumentException("unknown event " + event);
        }
        return JSON.writeValueAsString(wire);
    }

    /** The event, or null for a form this node does not know (a newer node may write more kinds). */
    static RoomEvent decode(String json) {
        Wire w;
        try {
            w = JSON.readValue(json, Wire.class);
        } catch (JacksonException e) {
            return null;
        }
        if (w.t() == null || w.i() == null) {
            return null;
        }
        long id = w.i();
        long connection = w.c() == null ? id : w.c();
        long date = w.d() == null ? 0 : w.d();
        return switch (w.t()) {
            case "J" -> w.n() == null ? null : new RoomEvent.Joined(id, connection, w.n(), date);
            case "R" -> w.n() == null ? null : new RoomEvent.Renamed(id, w.n(), date);
            case "L" -> new RoomEvent.Left(id, connection, date);
            case "U" -> w.n() == null ? null : new RoomEvent.Resumed(id, connection, w.n(), date);
            case "S" -> w.n() == null || w.x() == null ? null : new RoomEvent.Said(id, w.n(), w.x(), date, w.g());
            case "T" -> w.n() == null ? null : new RoomEvent.Typing(id, w.n());
            default -> null;
        };
    }
}
