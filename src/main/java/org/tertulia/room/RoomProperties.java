package org.tertulia.room;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The room's limits, under {@code tertulia.room.*}. Each default is stated here once; a zero
 * or negative limit stops the start with a message naming the setting.
 *
 * @param maxTextLength     longest message text, in code points
 * @param maxNameLength     longest user name, in code points
 * @param historySize       room messages replayed to a user who signs in
 * @param typingInterval    shortest gap between two relayed typing notices of one user
 * @param userlistCoalesce  how long userlist changes gather before one list goes out
 * @param userlistBandwidth bytes of userlist frames per second the room may send, summed over
 *                          its members: in a big room the lists then go out less often
 * @param presenceNotices   the largest room in which sign-ins and leaves are announced one by
 *                          one; in a bigger room the userlist alone tells who is there
 * @param resumeGrace       how long a lost connection's session stays resumable (its name reserved)
 * @param replaySize        room events kept for a client that comes back to catch up on exactly
 * @param rate              the token buckets every connection has
 */
@ConfigurationProperties("tertulia.room")
@Validated
public record RoomProperties(
        @DefaultValue("2000") @Positive int maxTextLength,
        @DefaultValue("32") @Positive int maxNameLength,
        @DefaultValue("50") @PositiveOrZero int historySize,
        @DefaultValue("2s") @PositiveOrZero Duration typingInterval,
        @DefaultValue("20ms") @PositiveOrZero Duration userlistCoalesce,
        @DefaultValue("64MB") @Positive DataSize userlistBandwidth,
        @DefaultValue("200") @PositiveOrZero int presenceNotices,
        @DefaultValue("2m") @Positive Duration resumeGrace,
        @DefaultValue("1000") @PositiveOrZero int replaySize,
        @DefaultValue @Valid Rate rate) {

    /**
     * Per-connection token buckets.
     *
     * @param framesPerSecond sustained frames a connection may send
     * @param frameBurst      frames a connection may send at once
     * @param namesPerMinute  sustained sign-ins and renames a connection may make
     * @param nameBurst       sign-ins and renames a connection may make at once
     * @param floodLimit      frames refused in a row before the connection is closed
     */
    public record Rate(
            @DefaultValue("10") @Positive double framesPerSecond,
            @DefaultValue("20") @Positive int frameBurst,
            @DefaultValue("12") @Positive double namesPerMinute,
            @DefaultValue("5") @Positive int nameBurst,
            @DefaultValue("50") @Positive int floodLimit) {
    }
}
