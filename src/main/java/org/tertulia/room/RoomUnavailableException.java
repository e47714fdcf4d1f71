package org.tertulia.room;

/** The shared room could not take an event just now; the sender is told it was not delivered. */
public final class RoomUnavailableException extends RuntimeException {

    public RoomUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
