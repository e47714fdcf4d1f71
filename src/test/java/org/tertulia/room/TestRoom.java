package org.tertulia.room;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.tertulia.protocol.JsonCodec;

/**
 * A room of one node, in memory, as the application wires it, for unit tests: its
 * settings are the defaults but for the overrides a test gives, its clock is fixed, and
 * frames are given to it as a client would write them.
 */
final class TestRoom implements AutoCloseable {

    static final long NOW = 1_700_000_000_000L;

    private final JsonCodec codec = new JsonCodec();
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    final InMemoryUsernameRegistry registry;
    final RoomView view;
    final RoomCommands commands;

    /** A room with the default settings but for {@code overrides}, e.g. {@code "history-size", "3"}. */
    TestRoom(String... overrides) {
        RoomProperties settings = settings(overrides);
        scheduler.initialize();
        registry = new InMemoryUsernameRegistry(settings.maxNameLength(), settings.resumeGrace(), System::nanoTime);
        RoomMetrics metrics = new RoomMetrics(new SimpleMeterRegistry());
        view = new RoomView(settings, codec, scheduler, metrics);
        LocalRoomBus bus = new LocalRoomBus();
        new RoomBusLifecycle(bus, view).start();
        AtomicLong ids = new AtomicLong();
        commands = new RoomCommands(settings, codec, registry, bus, ids::incrementAndGet,
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), view, metrics);
    }

    /** Settings bound as the application binds them: {@code @DefaultValue}s, then these overrides. */
    static RoomProperties settings(String... overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            properties.put("tertulia.room." + overrides[i], overrides[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("tertulia.room",
                RoomProperties.class);
    }

    /** A new connection, whose frames go to {@code out}. */
    Member join(RecordingOutbox out) {
        return commands.join(out);
    }

    /** A frame from {@code member}, as it came off the wire. */
    void send(Member member, String frame) {
        commands.receive(member, codec.read(frame));
    }

    /** A new connection signed in as {@code name}. */
    Member signedIn(String name, RecordingOutbox out) {
        Member member = join(out);
        send(member, "{\"type\":\"username\",\"name\":\"" + name + "\"}");
        return member;
    }

    @Override
    public void close() {
        scheduler.shutdown();
    }
}
