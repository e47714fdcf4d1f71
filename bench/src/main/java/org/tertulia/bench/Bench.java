package org.tertulia.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the phases against one server and writes {@code key=value} results:
 * idle capacity (RSS per signed-in connection), join storms, and a fan-out sweep.
 *
 * <p>The server may be a cluster: several URLs ({@code --url A,B}; client i of a crowd uses
 * URL i % n, so senders and audience are spread over the nodes), several node PIDs
 * ({@code --pid P1,P2}) and the PID of the shared Redis ({@code --redis-pid R}). Server CPU
 * and RSS are then the sums over all of them, with the Redis share reported apart.
 */
final class Bench {

    private final Options o;
    private final String label;
    private final List<URI> uris;
    private final List<String> nodePids;
    private final String redisPid;
    private final List<String> allPids;
    private final String gcCommand;
    private final int connectWindow;
    private final long joinTimeoutMillis;
    private final long fanOutTimeoutMillis;
    private final long idleTimeoutMillis;
    private final int senders;
    private final int messages;
    private final int window;
    private final Path out;
    private final Map<String, String> results = new LinkedHashMap<>();
    private int phaseNo;

    Bench(Options o) {
        this.o = o;
        this.label = o.string("label", "server");
        this.uris = new ArrayList<>();
        for (String u : o.string("url", "ws://127.0.0.1:8080/chat").split(",")) {
            if (!u.isBlank()) {
                uris.add(URI.create(u.trim()));
            }
        }
        this.nodePids = list(o.string("pid", ""));
        this.redisPid = o.string("redis-pid", "").trim();
        this.allPids = new ArrayList<>(nodePids);
        if (!redisPid.isEmpty()) {
            allPids.add(redisPid);
        }
        this.gcCommand = o.string("gc-cmd", "");
        this.connectWindow = o.integer("connect-window", 128);
        this.joinTimeoutMillis = o.longValue("join-timeout-s", 180) * 1000;
        this.idleTimeoutMillis = o.longValue("idle-timeout-s", 240) * 1000;
        this.fanOutTimeoutMillis = o.longValue("fanout-timeout-s", 90) * 1000;
        this.senders = o.integer("senders", 10);
        this.messages = o.integer("messages", 200);
        this.window = o.integer("window", 8);
        this.out = Path.of(o.string("out", label + ".properties"));
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("no --url");
        }
        for (URI uri : uris) {
            String host = uri.getHost();
            if (host == null || !host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
                throw new IllegalArgumentException("this benchmark only targets the loopback address, not " + host);
            }
        }
    }

    void run() throws Exception {
        put("label", label);
        put("url", String.join(",", uris.stream().map(URI::toString).toList()));
        put("server.nodes", uris.size());
        put("server.pid", String.join(",", nodePids));
        if (!redisPid.isEmpty()) {
            put("server.redis_pid", redisPid);
        }
        put("server.desc", o.string("server-desc", ""));
        put("started", Instant.now().toString());
        put("generator.threads", o.integer("threads", 2));
        put("generator.java", System.getProperty("java.vm.name") + " " + Runtime.version());
        put("clk_tck", Proc.clockTicks());
        put("connect_window", connectWindow);
        put("fanout.senders", senders);
        put("fanout.messages", messages);
        put("fanout.window", window);
        List<Integer> idle = o.counts("idle", "1000,10000");
        List<Integer> join = o.counts("join", "1000,5000");
        List<Integer> fanout = o.counts("fanout", "250,500,1000,2000");
        try (Load load = new Load(uris, o.integer("threads", 2), o.longValue("handshake-timeout-s", 60) * 1000)) {
            if (!idle.isEmpty()) {
                idle(load, idle);
            }
            if (o.flag("warmup", true) && (!join.isEmpty() || !fanout.isEmpty())) {
                warmUp(load);
            }
            if (!join.isEmpty()) {
                join(load, join);
            }
            if (!fanout.isEmpty()) {
                fanOut(load, fanout);
            }
        }
        put("finished", Instant.now().toString());
        save();
        log("results in " + out.toAbsolutePath());
    }

    // ---- idle capacity ----

    private void idle(Load load, List<Integer> sizes) throws Exception {
        waitQuiet();
        long rss0 = settledRss();
        put("idle.0.rss_kb", rss0);
        if (!redisPid.isEmpty()) {
            put("idle.0.rss_redis_kb", Proc.rssKb(redisPid));
        }
        log(String.format(Locale.ROOT, "idle: baseline RSS %.1f MiB", rss0 / 1024.0));
        Crowd crowd = new Crowd(load, "i" + (++phaseNo) + "-");
        int held = 0;
        for (int n : sizes) {
            Crowd.Join j = crowd.grow(n, connectWindow, idleTimeoutMillis);
            waitQuiet();
            long rss = settledRss();
            held = Math.max(held, j.ok());
            String k = "idle." + n + ".";
            put(k + "connected", j.connected());
            put(k + "signed_in", j.ok());
            put(k + "failed", j.failed());
            put(k + "signin_ms", fmt(j.listMillis()));
            put(k + "rss_kb", rss);
            if (!redisPid.isEmpty()) {
                put(k + "rss_redis_kb", Proc.rssKb(redisPid));
            }
            double perConn = j.connected() <= 0 ? 0 : (rss - rss0) / (double) j.connected();
            put(k + "rss_per_conn_kb", fmt(perConn));
            put(k + "problems", crowd.problems());
            log(String.format(Locale.ROOT, "idle %d: %d connected, %d signed in and saw the whole list (%d did not) in %.0f ms;"
                    + " RSS %.1f MiB = %.1f KiB per connection %s",
                    n, j.connected(), j.ok(), j.failed(), j.listMillis(), rss / 1024.0, perConn, crowd.problems()));
            save();
            if (!j.complete()) {
                break; // the node holds no more
            }
        }
        put("idle.max_held", held);
        crowd.dismiss();
        waitQuiet();
    }

    private long settledRss() throws InterruptedException {
        if (!gcCommand.isBlank()) {
            Proc.run(gcCommand, 60);
            Thread.sleep(1000);
        } else {
            Thread.sleep(2000);
        }
        return rss();
    }

    // ---- join storm ----

    private void warmUp(Load load) throws Exception {
        log("warm-up: 300 clients sign in, 10 x 50 messages (not reported)");
        Crowd crowd = new Crowd(load, "w" + (++phaseNo) + "-");
        crowd.grow(300, connectWindow, joinTimeoutMillis);
        waitQuiet();
        FanOut run = new FanOut("w" + phaseNo + ".", Math.min(10, crowd.size()), 50, window, load.threads());
        runFanOut(load, crowd, run);
        crowd.dismiss();
        waitQuiet();
    }

    private void join(Load load, List<Integer> sizes) throws Exception {
        for (int n : sizes) {
            Crowd crowd = new Crowd(load, "j" + (++phaseNo) + "-");
            waitQuiet();
            long cpu0 = cpu();
            long redis0 = redisCpu();
            long drops0 = Proc.listenDrops();
            long gen0 = Proc.cpuMicros("self");
            Crowd.Join j = crowd.grow(n, connectWindow, joinTimeoutMillis);
            long cpu1 = cpu();
            long redis1 = redisCpu();
            long gen1 = Proc.cpuMicros("self");
            long drops1 = Proc.listenDrops();
            String k = "join." + n + ".";
            put(k + "ms", fmt(j.listMillis()));
            put(k + "handshake_ms", fmt(j.handshakeMillis()));
            put(k + "id_ms", fmt(j.idMillis()));
            put(k + "ok", j.ok());
            put(k + "failed", j.failed());
            put(k + "server_cpu_ms", fmt((cpu1 - cpu0) / 1000.0));
            if (!redisPid.isEmpty()) {
                put(k + "server_cpu_nodes_ms", fmt((cpu1 - cpu0 - (redis1 - redis0)) / 1000.0));
                put(k + "server_cpu_redis_ms", fmt((redis1 - redis0) / 1000.0));
            }
            put(k + "generator_cpu_ms", fmt((gen1 - gen0) / 1000.0));
            put(k + "listen_drops", drops1 - drops0);
            put(k + "server_errors", crowd.serverErrors());
            put(k + "problems", crowd.problems());
            log(String.format(Locale.ROOT,
                    "join %d: all lists complete in %.0f ms (handshakes %.0f ms, ids %.0f ms), %d ok, %d failed; "
                            + "server CPU %.0f ms%s, generator CPU %.0f ms, listen drops %d %s",
                    n, j.listMillis(), j.handshakeMillis(), j.idMillis(), j.ok(), j.failed(), (cpu1 - cpu0) / 1000.0,
                    redisPid.isEmpty() ? "" : String.format(Locale.ROOT, " (of which Redis %.0f ms)", (redis1 - redis0) / 1000.0),
                    (gen1 - gen0) / 1000.0, drops1 - drops0, crowd.problems()));
            save();
            crowd.dismiss();
        }
        waitQuiet();
    }

    // ---- fan-out ----

    private void fanOut(Load load, List<Integer> sizes) throws Exception {
        Crowd crowd = new Crowd(load, "f" + (++phaseNo) + "-");
        for (int n : sizes) {
            Crowd.Join j = crowd.grow(n, connectWindow, joinTimeoutMillis);
            String k = "fanout." + n + ".";
            if (!j.complete()) {
                put(k + "setup_problem", j.ok() + " of " + n + " signed in; " + crowd.problems());
                log("fan-out " + n + ": only " + j.ok() + " signed in; running anyway");
            }
            waitQuiet();
            FanOut run = new FanOut("r" + (++phaseNo) + ".", Math.min(senders, crowd.size()), messages, window,
                    load.threads());
            runFanOut(load, crowd, run, k, j.ok());
            save();
        }
        crowd.dismiss();
        waitQuiet();
    }

    private void runFanOut(Load load, Crowd crowd, FanOut run) throws Exception {
        runFanOut(load, crowd, run, null, crowd.size());
    }

    private void runFanOut(Load load, Crowd crowd, FanOut run, String k, int audience) throws Exception {
        long expected = (long) audience * run.senders() * run.messages();
        crowd.fanOut(run);
        long cpu0 = cpu();
        long redis0 = redisCpu();
        long sys0 = systemCpu();
        long writes0 = writeCalls();
        long gen0 = Proc.cpuMicros("self");
        long errors0 = crowd.serverErrors();
        long start = System.nanoTime();
        List<ChatClient> clients = crowd.clients();
        for (int s = 0; s < run.senders(); s++) {
            ChatClient sender = clients.get(s);
            int index = s;
            sender.channel.eventLoop().execute(() -> sender.startSending(run, index));
        }
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(fanOutTimeoutMillis);
        long lastCount = -1;
        long lastProgress = start;
        while (true) {
            long n = run.deliveredSoFar();
            long now = System.nanoTime();
            if (n >= expected || now > deadline) {
                break;
            }
            if (n != lastCount) {
                lastCount = n;
                lastProgress = now;
            } else if (now - lastProgress > TimeUnit.SECONDS.toNanos(15)) {
                break; // stalled: report what is missing
            }
            Thread.sleep(1);
        }
        long cpu1 = cpu();
        long redis1 = redisCpu();
        long sys1 = systemCpu();
        long writes1 = writeCalls();
        long gen1 = Proc.cpuMicros("self");
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
            log("lost messages: " + unechoed);
        }
        if (k == null) {
            return;
        }
        put(k + "lost_messages", unechoed.toString());
        Histogram h = run.histogram();
        long delivered = h.count();
        double wallMs = Math.max(1, run.lastDeliveryNanos() - start) / 1e6;
        double rate = delivered / (wallMs / 1000.0);
        double cpuUs = cpu1 - cpu0;
        double genUs = gen1 - gen0;
        put(k + "clients", audience);
        put(k + "expected", expected);
        put(k + "delivered", delivered);
        put(k + "missing", Math.max(0, expected - delivered));
        put(k + "wall_ms", fmt(wallMs));
        put(k + "deliveries_per_s", fmt(rate));
        put(k + "p50_us", h.percentile(0.50));
        put(k + "p95_us", h.percentile(0.95));
        put(k + "p99_us", h.percentile(0.99));
        put(k + "max_us", h.max());
        put(k + "mean_us", fmt(h.mean()));
        put(k + "server_cpu_ms", fmt(cpuUs / 1000.0));
        put(k + "server_cpu_us_per_delivery", fmt(delivered == 0 ? 0 : cpuUs / delivered));
        put(k + "server_cores", fmt(cpuUs / 1000.0 / wallMs));
        put(k + "server_kernel_share", fmt(cpuUs <= 0 ? 0 : (sys1 - sys0) / cpuUs));
        if (!redisPid.isEmpty()) {
            double redisUs = redis1 - redis0;
            put(k + "server_cpu_nodes_ms", fmt((cpuUs - redisUs) / 1000.0));
            put(k + "server_cpu_redis_ms", fmt(redisUs / 1000.0));
            put(k + "server_cpu_nodes_us_per_delivery", fmt(delivered == 0 ? 0 : (cpuUs - redisUs) / delivered));
            put(k + "server_cpu_redis_us_per_delivery", fmt(delivered == 0 ? 0 : redisUs / delivered));
            put(k + "redis_cores", fmt(redisUs / 1000.0 / wallMs));
        }
        put(k + "server_writes_per_delivery", fmt(delivered == 0 || writes0 < 0 ? 0 : (writes1 - writes0) / (double) delivered));
        put(k + "generator_cpu_ms", fmt(genUs / 1000.0));
        put(k + "generator_cpu_us_per_delivery", fmt(delivered == 0 ? 0 : genUs / delivered));
        put(k + "server_errors", crowd.serverErrors() - errors0);
        put(k + "problems", crowd.problems());
        log(String.format(Locale.ROOT,
                "fan-out %d clients x %d senders x %d msgs (window %d): %d/%d delivered in %.0f ms = %.0f/s; "
                        + "latency p50 %.1f p95 %.1f p99 %.1f max %.1f ms; server CPU %.2f us/delivery%s (%.2f cores, %.0f%% kernel), "
                        + "%.2f write calls/delivery, generator %.2f us/delivery %s",
                audience, run.senders(), run.messages(), run.window(), delivered, expected, wallMs, rate,
                h.percentile(0.50) / 1000.0, h.percentile(0.95) / 1000.0, h.percentile(0.99) / 1000.0, h.max() / 1000.0,
                delivered == 0 ? 0 : cpuUs / delivered,
                redisPid.isEmpty() || delivered == 0 ? "" : String.format(Locale.ROOT, " (of which Redis %.2f)",
                        (redis1 - redis0) / (double) delivered),
                cpuUs / 1000.0 / wallMs, cpuUs <= 0 ? 0 : 100.0 * (sys1 - sys0) / cpuUs,
                delivered == 0 || writes0 < 0 ? 0 : (writes1 - writes0) / (double) delivered,
                delivered == 0 ? 0 : genUs / delivered,
                crowd.problems()));
    }

    // ---- helpers ----

    /** utime + stime summed over every server process (nodes and Redis), in microseconds. */
    private long cpu() {
        return sum(allPids, Proc::cpuMicros);
    }

    private long redisCpu() {
        return redisPid.isEmpty() ? 0 : Math.max(0, Proc.cpuMicros(redisPid));
    }

    private long systemCpu() {
        return sum(allPids, Proc::systemMicros);
    }

    /** Write system calls of every server process, or -1 when any cannot be read. */
    private long writeCalls() {
        long total = 0;
        for (String p : allPids) {
            long v = Proc.writeCalls(p);
            if (v < 0) {
                return -1;
            }
            total += v;
        }
        return total;
    }

    /** VmRSS summed over every server process, or -1 with none. */
    private long rss() {
        return allPids.isEmpty() ? -1 : sum(allPids, Proc::rssKb);
    }

    private static long sum(List<String> pids, java.util.function.ToLongFunction<String> f) {
        long total = 0;
        for (String p : pids) {
            total += Math.max(0, f.applyAsLong(p));
        }
        return total;
    }

    private static List<String> list(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /**
     * Waits (at most 15 s) until the server uses under ~8% of a core over 250 ms (per process,
     * for a cluster): the last phase's work is done.
     */
    private void waitQuiet() throws InterruptedException {
        if (allPids.isEmpty()) {
            Thread.sleep(500);
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        long before = cpu();
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            long now = cpu();
            if (now - before <= 20_000L * allPids.size()) {
                return;
            }
            before = now;
        }
    }

    private void put(String key, Object value) {
        results.put(key, String.valueOf(value).replace('\n', ' '));
    }

    private void save() throws IOException {
        StringBuilder sb = new StringBuilder();
        results.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
    }

    private void log(String line) {
        System.out.println("[" + label + "] " + line);
        System.out.flush();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
