package org.tertulia.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tertulia.room.RoomEvent;

class EventCodecTest {

    @Test
    void everyEventSurvivesTheRoundTrip() {
        RoomEvent[] events = {
                new RoomEvent.Joined(7, 7, "ana", 1_700_000_000_000L),
                new RoomEvent.Renamed(7, "ana2", 1_700_000_000_001L),
                new RoomEvent.Left(7, 7, 1_700_000_000_004L),
                new RoomEvent.Resumed(7, 12, "ana2", 1_700_000_000_005L),
                new RoomEvent.Said(7, "ana", "hola \"mundo\" ñ 😀", 1_700_000_000_002L, null),
                new RoomEvent.Said(7, "ana", "psst", 1_700_000_000_003L, "bruno"),
                new RoomEvent.Typing(7, "ana"),
        };
        for (RoomEvent event : events) {
            assertThat(EventCodec.decode(EventCodec.encode(event))).isEqualTo(event);
        }
    }

    @Test
    void encodingIsCompact() {
        assertThat(EventCodec.encode(new RoomEvent.Said(7, "ana", "hi", 5, null)))
                .isEqualTo("{\"t\":\"S\",\"i\":7,\"n\":\"ana\",\"x\":\"hi\",\"d\":5}");
    }

    @Test
    void leftWrittenByTheLuaReaperDecodes() {
        assertThat(EventCodec.decode("{\"t\":\"L\",\"i\":42,\"c\":43,\"d\":5}")).isEqualTo(new RoomEvent.Left(42, 43, 5));
    }

    @Test
    void unknownOrBrokenFormsAreSkipped() {
        assertThat(EventCodec.decode("{\"t\":\"Z\",\"i\":1}")).isNull();
        assertThat(EventCodec.decode("{\"t\":\"S\",\"i\":1}")).isNull();
        assertThat(EventCodec.decode("not json")).isNull();
    }
}
