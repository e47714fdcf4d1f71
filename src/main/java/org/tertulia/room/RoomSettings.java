package org.tertulia.room;

import java.time.Duration;

/**
 * The room's limits.
 *
 * @param maxTextLength    longest message text, in code points
 * @param maxNameLength    longest user name, in code points
 * @param historySize      room messages replayed to a user who signs in
 * @param framesPerSecond  sustained frames a connection may send
 * @param frameBurst       frames a connection may send at once
 * @param namesPerMinute   sustained sign-ins and renames a connection may make
 * @param nameBurst        sign-ins and renames a connection may make at once
 * @param floodLimit       frames refused in a row for rate before the connection is closed
 * @param typingInterval   shortest gap between two relayed typing notices of one user
 * @param userlistCoalesce how long userlist changes gather before one list goes out
 * @param userlistBandwidth bytes of userlist frames per second the room may send, summed over
 *                          its members: in a big room the lists then go out less often
 */
public record RoomSettings(
        int maxTextLength,
        int maxNameLength,
        int historySize,
        double framesPerSecond,
        int frameBurst,
        double namesPerMinute,
        int nameBurst,
        int floodLimit,
        Duration typingInterval,
        Duration userlistCoalesce,
        long userlistBandwidth) {

    public static RoomSettings defaults() {
        return new RoomSettings(2000, 32, 50, 10, 20, 12, 5, 50, Duration.ofSeconds(2), Duration.ofMillis(20),
                64L * 1024 * 1024);
    }
}
