package org.tertulia.room;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether this node can serve the room: its bus is running and (in a cluster) reaches the
 * shared room. Part of the readiness group, so a balancer stops sending users to a node
 * that could only tell them their messages were not delivered.
 */
final class RoomHealth implements HealthIndicator {

    private final RoomBus bus;
    private final RoomView view;

    RoomHealth(RoomBus bus, RoomView view) {
        this.bus = bus;
        this.view = view;
    }

    @Override
    public Health health() {
        Health.Builder health = bus.isReady() ? Health.up() : Health.down();
        return health.withDetail("connections", view.connections()).withDetail("signedIn", view.signedIn()).build();
    }
}
