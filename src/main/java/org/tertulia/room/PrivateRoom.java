package org.tertulia.room;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.scheduling.TaskScheduler;
import org.tertulia.protocol.MessageEncoder;

/**
 * A room of its own, in memory, beside the node's room: the same classes and the same
 * settings, but its own registry of names, its own ids, its own bus and its own meters, so
 * nothing said in it reaches the node's room, the cluster or the node's metrics. The warm
 * start rehearses a join storm in one before the node says it is ready, so that the code
 * the real storm will run has been compiled by then.
 */
public final class PrivateRoom implements AutoCloseable {

    private final RoomView view;
    private final LocalRoomBus bus;
    private final RoomCommands commands;

    private PrivateRoom(RoomProperties settings, MessageEncoder encoder, TaskScheduler scheduler) {
        RoomMetrics metrics = new RoomMetrics(new SimpleMeterRegistry());
        this.view = new RoomView(settings, encoder, scheduler, metrics);
        this.bus = new LocalRoomBus();
        AtomicLong last = new AtomicLong();
        UsernameRegistry names = new InMemoryUsernameRegistry(settings.maxNameLength(), settings.resumeGrace(),
                System::nanoTime);
        this.commands = new RoomCommands(settings, encoder, names, bus, last::incrementAndGet, Clock.systemUTC(), view,
                metrics);
    }

    /** A new private room, open: it takes members at once. */
    public static PrivateRoom open(RoomProperties settings, MessageEncoder encoder, TaskScheduler scheduler) {
        PrivateRoom room = new PrivateRoom(settings, encoder, scheduler);
        room.bus.start(room.view.sink());
        return room;
    }

    /** Its way in, as the node's own {@link RoomCommands} is the node's room's. */
    public RoomCommands commands() {
        return commands;
    }

    /** Closes it: members still in it are closed with 1001 (going away), it takes no one more, and its bus stops. */
    @Override
    public void close() {
        commands.departAll(Departure.SHUTDOWN);
        view.close();
        bus.stop();
    }
}
