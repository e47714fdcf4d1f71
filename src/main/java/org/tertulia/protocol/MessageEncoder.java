package org.tertulia.protocol;

/** Turns a server message into the frame every recipient gets; the room encodes through this, never a codec. */
@FunctionalInterface
public interface MessageEncoder {

    Frame encode(ServerMessage message);
}
