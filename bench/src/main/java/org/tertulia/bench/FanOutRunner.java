package org.tertulia.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs fan-outs over a signed-in crowd and records their figures: at saturation (windowed
 * senders) or at a fixed offered load (paced senders, see {@link FanOut}). Every member of
 * the crowd, senders included, receives every message, so one message is N deliveries.
 */
final class FanOutRunner {

    /** A paced run counts as sustained when it achieved at least this share of the offered deliveries/s. */
    static final double SUSTAINED = 0.95;
    /** A run with no new delivery for this long is over: the rest is reported missing. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** Paced senders start this long after the run is set up, all on one schedule. */
    private static final long LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Load load;
    private final Servers servers;
    private final Results results;
    private final long timeoutNanos;

    FanOutRunner(Load load, Servers servers, Results results, long timeoutMillis) {
        this.load = load;
        this.servers = servers;
        this.results = results;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** Saturation: S windowed senders, M messages each. Figures under {@code key} (null: not recorded). */
    void windowed(Crowd crowd, String tag, int senders, int messages, int window, int audience, String key)
            throws InterruptedException {
        FanOut run = FanOut.windowed(tag, Math.min(senders, crowd.size()), messages, window, load.loops());
        Measured m = run(crowd, run, audience, System.nanoTime() + timeoutNanos);
        if (key == null) {
            return;
        }
        double wallMs = Math.max(1, m.lastDelivery - m.before.nanos()) / 1e6;
        record(key, m, wallMs);
        results.log(String.format(Locale.ROOT,
                "fan-out %d clients x %d senders x %d msgs (window %d): %d/%d delivered in %.0f ms = %.0f/s; %s",
                audience, run.senders(), messages, window, m.delivered, m.expected, wallMs, m.delivered / (wallMs / 1000),
                m.summary));
    }

    /**
     * Fixed offered load: {@code rate} deliveries/s for about {@code seconds}. With N members
     * that is rate / N messages/s, spread evenly over the S senders and in time.
     */
    void paced(Crowd crowd, String tag, int senders, double rate, double seconds, int audience, String key)
            throws InterruptedException {
        int s = Math.min(senders, crowd.size());
        double gapNanos = audience * 1e9 / rate;
        int messages = (int) Math.max(1, Math.round(rate * seconds / audience / s));
        long start = System.nanoTime() + LEAD_NANOS;
        FanOut run = FanOut.paced(tag, s, messages, gapNanos, start, load.loops());
        double scheduleMs = (double) messages * s * gapNanos / 1e6;
        Measured m = run(crowd, run, audience, start + (long) (scheduleMs * 1e6) + timeoutNanos);
        if (key == null) {
            return;
        }
        double spanMs = Math.max(scheduleMs, (m.lastDelivery - start) / 1e6);
        double achieved = m.delivered / (spanMs / 1000);
        double drainMs = m.lastDelivery == 0 ? -1 : (m.lastDelivery - run.lastIntendedNanos()) / 1e6;
        Histogram lag = run.sendLag();
        boolean sustained = achieved >= SUSTAINED * rate;
        record(key, m, spanMs);
        results.put(key + "offered_per_s", Results.fmt(rate));
        results.put(key + "messages_per_s", Results.fmt(rate / audience));
        results.put(key + "schedule_ms", Results.fmt(scheduleMs));
        results.put(key + "achieved_per_s", Results.fmt(achieved));
        results.put(key + "achieved_share", Results.fmt(achieved / rate));
        results.put(key + "sustained", sustained ? 1 : 0);
        results.put(key + "drain_ms", Results.fmt(drainMs));
        results.put(key + "send_lag_p99_us", lag.percentile(0.99));
        results.put(key + "send_lag_max_us", lag.max());
        results.log(String.format(Locale.ROOT,
                "paced %d clients, %.0f deliveries/s offered (%d senders x %d msgs, one message every %.2f ms, %.1f s):"
                        + " %d/%d delivered, achieved %.0f/s (%.0f%%%s), drained %.0f ms after the last send, send lag"
                        + " p99 %.1f ms; %s",
                audience, rate, s, messages, gapNanos / 1e6, scheduleMs / 1000, m.delivered, m.expected, achieved,
                100 * achieved / rate, sustained ? "" : ", NOT SUSTAINED", drainMs, lag.percentile(0.99) / 1000.0,
                m.summary));
    }

    /** What one run measured; {@code summary} is a log line of the common figures. */
    private record Measured(int audience, long expected, long delivered, long lastDelivery, Histogram latency,
            Servers.Snapshot before, Servers.Snapshot after, long serverErrors, int lost, String unechoed, String problems,
            String summary) {
    }

    private Measured run(Crowd crowd, FanOut run, int audience, long deadline) throws InterruptedException {
        long expected = (long) audience * run.senders() * run.messages();
        crowd.fanOut(run);
        long errors0 = crowd.serverErrors();
        int lost0 = crowd.closedUnexpectedly();
        Servers.Snapshot before = servers.snapshot();
        List<ChatClient> clients = crowd.clients();
        for (int s = 0; s < run.senders(); s++) {
            ChatClient sender = clients.get(s);
            int index = s;
            sender.channel.eventLoop().execute(() -> sender.startSending(run, index));
        }
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            long n = run.deliveredSoFar();
            long now = System.nanoTime();
            if (n >= expected || now > deadline) {
                break;
            }
            if (n != lastCount) {
                lastCount = n;
                lastProgress = now;
            } else if (now - lastProgress > STALL_NANOS) {
                break; // stalled: report what is missing
            }
            Thread.sleep(1);
        }
        Servers.Snapshot after = servers.snapshot();
        load.barrier();
        crowd.fanOut(null);
        StringBuilder unechoed = new StringBuilder();
        for (int s = 0; s < run.senders(); s++) {
            String u = clients.get(s).unechoed();
            if (!u.isEmpty()) {
                unechoed.append(u).append("; ");
            }
        }
        if (unechoed.length() > 0) {
            results.log("lost messages: " + unechoed);
        }
        Histogram h = run.latency();
        long delivered = h.count();
        double cpuUs = after.cpu() - before.cpu();
        double genUs = after.generatorCpu() - before.generatorCpu();
        String summary = String.format(Locale.ROOT,
                "latency p50 %.1f p99 %.1f max %.1f ms; server CPU %.2f us/delivery, generator %.2f us/delivery %s",
                h.percentile(0.50) / 1000.0, h.percentile(0.99) / 1000.0, h.max() / 1000.0, perDelivery(cpuUs, delivered),
                perDelivery(genUs, delivered), crowd.problems());
        return new Measured(audience, expected, delivered, run.lastDeliveryNanos(), h, before, after,
                crowd.serverErrors() - errors0, crowd.closedUnexpectedly() - lost0, unechoed.toString(), crowd.problems(),
                summary);
    }

    /** The figures both kinds of run share, {@code wallMs} being the time the deliveries took. */
    private void record(String k, Measured m, double wallMs) {
        Histogram h = m.latency;
        long delivered = m.delivered;
        double cpuUs = m.after.cpu() - m.before.cpu();
        double redisUs = m.after.redisCpu() - m.before.redisCpu();
        double sysUs = m.after.systemCpu() - m.before.systemCpu();
        double genUs = m.after.generatorCpu() - m.before.generatorCpu();
        double generatorCores = genUs / 1000.0 / wallMs;
        results.put(k + "clients", m.audience);
        results.put(k + "expected", m.expected);
        results.put(k + "delivered", delivered);
        results.put(k + "missing", Math.max(0, m.expected - delivered));
        results.put(k + "wall_ms", Results.fmt(wallMs));
        results.put(k + "deliveries_per_s", Results.fmt(delivered / (wallMs / 1000.0)));
        results.put(k + "p50_us", h.percentile(0.50));
        results.put(k + "p95_us", h.percentile(0.95));
        results.put(k + "p99_us", h.percentile(0.99));
        results.put(k + "max_us", h.max());
        results.put(k + "mean_us", Results.fmt(h.mean()));
        results.put(k + "server_cpu_ms", Results.fmt(cpuUs / 1000.0));
        results.put(k + "server_cpu_us_per_delivery", Results.fmt(perDelivery(cpuUs, delivered)));
        results.put(k + "server_cores", Results.fmt(cpuUs / 1000.0 / wallMs));
        results.put(k + "server_kernel_share", Results.fmt(cpuUs <= 0 ? 0 : sysUs / cpuUs));
        if (servers.hasRedis()) {
            results.put(k + "server_cpu_nodes_ms", Results.fmt((cpuUs - redisUs) / 1000.0));
            results.put(k + "server_cpu_redis_ms", Results.fmt(redisUs / 1000.0));
            results.put(k + "server_cpu_nodes_us_per_delivery", Results.fmt(perDelivery(cpuUs - redisUs, delivered)));
            results.put(k + "server_cpu_redis_us_per_delivery", Results.fmt(perDelivery(redisUs, delivered)));
        }
        long writes = m.after.writes() - m.before.writes();
        if (m.before.writes() >= 0 && m.after.writes() >= 0) {
            results.put(k + "server_writes_per_delivery", Results.fmt(perDelivery(writes, delivered)));
        }
        results.put(k + "generator_cpu_ms", Results.fmt(genUs / 1000.0));
        results.put(k + "generator_cpu_us_per_delivery", Results.fmt(perDelivery(genUs, delivered)));
        results.put(k + "generator_cores", Results.fmt(generatorCores));
        results.put(k + "generator_gc_ms", m.after.generatorGcMillis() - m.before.generatorGcMillis());
        // The generator may use only the CPUs it was pinned to; near all of them, it was the ceiling.
        results.put(k + "generator_saturated", generatorCores >= 0.9 * Runtime.getRuntime().availableProcessors() ? 1 : 0);
        results.put(k + "server_errors", m.serverErrors);
        // The crowd's problems below are its whole history; this is what this run alone lost.
        results.put(k + "connections_lost", m.lost);
        results.put(k + "problems", m.problems);
        results.put(k + "lost_messages", m.unechoed);
    }

    private static double perDelivery(double micros, long delivered) {
        return delivered == 0 ? 0 : micros / delivered;
    }
}
