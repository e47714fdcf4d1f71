package org.tertulia.web;

import org.tertulia.room.Departure;

/**
 * What the transport found wrong with a connection, told to the handler as a transport
 * error: the client broke the protocol, or cannot keep up. The handler sends the member away
 * for this reason, which decides the close code.
 */
final class TransportTrouble extends Exception {

    private final Departure departure;

    TransportTrouble(Departure departure, String reason) {
        super(reason, null, false, false);
        this.departure = departure;
    }

    Departure departure() {
        return departure;
    }
}
