package org.tertulia;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.stereotype.Component;
import org.tertulia.Training.Crowd;
import org.tertulia.Training.Plan;
import org.tertulia.Training.Result;
import org.tertulia.web.RehearsalEndpoint;

/**
 * A node that has just started runs its handshake and sign-in paths in the JVM's interpreter
 * until the JIT has seen them run often enough; when every client of a node comes back at
 * once after a restart, that costs the first storm about twice the time and CPU of a later
 * one (docs/benchmarks.md). So before the node says it is ready (Spring publishes readiness
 * after the application runners), crowds of clients in this JVM connect to the node's own
 * port, sign in, talk and leave, as a storm would, through the same handshake, handler and
 * transport as {@code /chat}, but on {@link RehearsalEndpoint} and in a room of their own:
 * the node's room, the cluster, the node's metrics and its connection log never see them.
 *
 * <p>Meanwhile {@code /chat} already serves whoever comes (the room is open), only the
 * readiness probe says 503 a few seconds longer. A warm start that fails (a step that takes
 * longer than {@code tertulia.warm-start.step}) is logged and the node starts as it is: cold,
 * not broken. A node that serves TLS itself skips it (the loopback clients would have to
 * trust its certificate by name); with TLS at a proxy, as docs/operations.md advises, it runs.
 *
 * <p>Off unless {@code tertulia.warm-start.rounds} is set: the JIT compiles what the
 * rehearsal runs with the rehearsal's profile, and in the benchmark a warm-started node's
 * fan-out then cost more CPU than a cold node's once both had warmed up on the real load
 * (docs/benchmarks.md, "The eleventh round").
 */
@Component
final class WarmStart implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(WarmStart.class);

    /**
     * Handshakes a crowd keeps pending at once: a storm as fast as the node takes it, without
     * a thousand requests queued on Jetty's threads, which would grow its pool to the maximum
     * (and keep it: an idle pool sheds one thread a minute).
     */
    static final int CONNECT_WINDOW = 128;

    /** Senders in a round, and lines each: 10 x 10 lines heard by every client of the round. */
    static final int SENDERS = 10;
    static final int LINES = 10;

    private final WarmStartProperties settings;
    private final RehearsalEndpoint rehearsal;
    private final WebServerApplicationContext context;
    private final ServerProperties server;
    private volatile Result done;

    WarmStart(WarmStartProperties settings, RehearsalEndpoint rehearsal, WebServerApplicationContext context,
            ServerProperties server) {
        this.settings = settings;
        this.rehearsal = rehearsal;
        this.context = context;
        this.server = server;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (settings.rounds() == 0) {
            return;
        }
        if (Ssl.isEnabled(server.getSsl())) {
            log.info("warm start skipped: this node serves TLS itself (tertulia.warm-start.rounds=0 silences this)");
            return;
        }
        Plan plan = new Plan(settings.rounds(), settings.clients(), Math.min(SENDERS, settings.clients() - 1), LINES,
                settings.step());
        long start = System.nanoTime();
        ExecutorService callbacks = Executors.newFixedThreadPool(2, daemons());
        try {
            URI chat = chatUri();
            String secret = rehearsal.open();
            HttpClient http = HttpClient.newBuilder().executor(callbacks).connectTimeout(settings.step()).build();
            Result result = new Crowd(http, null, chat, Map.of(RehearsalEndpoint.SECRET_HEADER, secret),
                    CONNECT_WINDOW, plan).train();
            done = result;
            log.info("warm start: {} round(s) of {} loopback clients connected, signed in and heard {} lines each"
                    + " in a room of their own, in {} ms (process running for {} ms)", plan.rounds(), plan.clients(),
                    plan.senders() * plan.messages(), millisSince(start),
                    ManagementFactory.getRuntimeMXBean().getUptime());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("warm start given up after {} ms, the node starts without it: {}", millisSince(start),
                    e.toString());
        } finally {
            rehearsal.close();
            callbacks.shutdownNow();
        }
        // What the crowds allocated is garbage now, but the heap grew for it; a full collection
        // before anyone is served gives it back (MaxHeapFreeRatio) at no one's expense.
        long collecting = System.nanoTime();
        System.gc();
        log.info("warm start: heap collected in {} ms", millisSince(collecting));
    }

    /** What the warm start did, once it has completed; null before, and when it did not run or failed. */
    Result done() {
        return done;
    }

    /** The rehearsal's endpoint on this node's own port, at its own address unless it listens on every one. */
    private URI chatUri() throws URISyntaxException {
        InetAddress bound = server.getAddress();
        InetAddress host = bound == null || bound.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound;
        return new URI("ws", null, host.getHostAddress(), context.getWebServer().getPort(), RehearsalEndpoint.PATH,
                null, null);
    }

    private static long millisSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static java.util.concurrent.ThreadFactory daemons() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "warm-start-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
