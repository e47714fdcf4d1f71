package org.tertulia.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the phases against one server (or one cluster) and writes {@code key=value} results:
 * idle capacity (RSS per signed-in connection, on the fresh server), an unreported warm-up,
 * join storms, and a fan-out sweep (at saturation, then at each paced rate).
 *
 * <p>The server may be a cluster: several URLs ({@code --url A,B}; client i of a crowd uses
 * URL i % n, so senders and audience are spread over the nodes), several node PIDs
 * ({@code --pid P1,P2}) and the PID of the shared Redis ({@code --redis-pid R}). Server CPU
 * and RSS are then the sums over all of them, with the Redis share reported apart.
 */
final class Bench {

    /** The rate of the paced part of the fan-out warm-up, in deliveries/s. */
    static final int WARMUP_RATE = 100_000;

    /** Longest wait for the server to go quiet between phases. */
    private static final int QUIET_SECONDS = 15;

    private final Options o;
    private final List<URI> uris;
    private final Servers servers;
    private final Results results;
    private final int connectWindow;
    private final long joinTimeoutMillis;
    private final long idleTimeoutMillis;
    private final int senders;
    private final int messages;
    private final int window;
    private final int fanoutWarmup;
    private final double pacedWarmupSeconds;
    private final List<Integer> rates;
    private final double pacedSeconds;
    private int phaseNo;

    Bench(Options o) {
        this.o = o;
        String label = o.string("label", "server");
        this.uris = new ArrayList<>();
        for (String u : list(o.string("url", "ws://127.0.0.1:8080/chat"))) {
            uris.add(URI.create(u));
        }
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("no --url");
        }
        for (URI uri : uris) {
            String host = uri.getHost();
            if (host == null || !host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
                throw new IllegalArgumentException("this benchmark only targets the loopback address, not " + host);
            }
        }
        this.servers = new Servers(list(o.string("pid", "")), o.string("redis-pid", "").trim(), o.string("gc-cmd", ""));
        this.results = new Results(Path.of(o.string("out", label + ".properties")), label);
        this.connectWindow = o.integer("connect-window", 128);
        this.joinTimeoutMillis = o.longValue("join-timeout-s", 120) * 1000;
        this.idleTimeoutMillis = o.longValue("idle-timeout-s", 120) * 1000;
        this.senders = o.integer("senders", 10);
        this.messages = o.integer("messages", 200);
        this.window = o.integer("window", 8);
        this.fanoutWarmup = o.integer("fanout-warmup", 2000);
        this.pacedWarmupSeconds = Double.parseDouble(o.string("fanout-warmup-paced-s", "30"));
        this.rates = o.counts("rates", "none");
        this.pacedSeconds = Double.parseDouble(o.string("paced-seconds", "10"));
    }

    void run() throws Exception {
        results.put("label", o.string("label", "server"));
        results.put("column", o.string("column", o.string("label", "server")));
        results.put("round", o.integer("round", 1));
        results.put("position", o.integer("position", 1));
        results.put("url", String.join(",", uris.stream().map(URI::toString).toList()));
        results.put("server.nodes", uris.size());
        results.put("server.pid", String.join(",", servers.nodePids()));
        if (servers.hasRedis()) {
            results.put("server.redis_pid", servers.redisPid());
        }
        results.put("server.desc", o.string("server-desc", ""));
        results.put("started", Instant.now().toString());
        results.put("loadavg.start", loadAverage());
        results.put("generator.threads", o.integer("threads", 2));
        results.put("generator.cpus", Runtime.getRuntime().availableProcessors());
        results.put("generator.java", System.getProperty("java.vm.name") + " " + Runtime.version());
        results.put("clk_tck", Proc.clockTicks());
        results.put("connect_window", connectWindow);
        results.put("fanout.senders", senders);
        results.put("fanout.messages", messages);
        results.put("fanout.window", window);
        results.put("fanout.warmup_messages", fanoutWarmup);
        results.put("fanout.warmup_paced_seconds", Results.fmt(pacedWarmupSeconds));
        results.put("paced.seconds", Results.fmt(pacedSeconds));
        List<Integer> idle = o.counts("idle", "none");
        List<Integer> join = o.counts("join", "none");
        List<Integer> fanout = o.counts("fanout", "none");
        try (Load load = new Load(uris, o.integer("threads", 2), senders, o.longValue("handshake-timeout-s", 60) * 1000)) {
            FanOutRunner runner = new FanOutRunner(load, servers, results, o.longValue("fanout-timeout-s", 90) * 1000);
            if (!idle.isEmpty()) {
                idle(load, idle);
            }
            if (o.flag("warmup", true) && (!join.isEmpty() || !fanout.isEmpty())) {
                warmUp(load, runner, 50, 0, "warm-up");
            }
            if (!join.isEmpty()) {
                join(load, join);
            }
            if (!fanout.isEmpty()) {
                if (o.flag("warmup", true) && fanoutWarmup > 0) {
                    warmUp(load, runner, fanoutWarmup, pacedWarmupSeconds, "fan-out warm-up");
                }
                fanOut(load, runner, fanout);
            }
        }
        results.put("loadavg.end", loadAverage());
        results.put("finished", Instant.now().toString());
        results.save();
        results.log("results in " + results.file().toAbsolutePath());
    }

    // ---- idle capacity ----

    /** RSS with 0 connections, then with each size of signed-in idle crowd (grown, not rebuilt). */
    private void idle(Load load, List<Integer> sizes) throws Exception {
        quiet("idle");
        long rss0 = servers.settledRss();
        results.put("idle.0.rss_kb", rss0);
        if (servers.hasRedis()) {
            results.put("idle.0.rss_redis_kb", servers.redisRss());
        }
        results.log(String.format(Locale.ROOT, "idle: baseline RSS %.1f MiB", rss0 / 1024.0));
        Crowd crowd = new Crowd(load, "i" + (++phaseNo) + "-");
        for (int n : sizes) {
            Crowd.Join j = crowd.grow(n, connectWindow, idleTimeoutMillis);
            quiet("idle." + n);
            long rss = servers.settledRss();
            String k = "idle." + n + ".";
            results.put(k + "connected", j.connected());
            results.put(k + "signed_in", j.ok());
            results.put(k + "failed", j.failed());
            results.put(k + "complete", j.complete() ? 1 : 0);
            if (j.complete()) {
                results.put(k + "signin_ms", Results.fmt(j.listMillis()));
            }
            results.put(k + "rss_kb", rss);
            if (servers.hasRedis()) {
                results.put(k + "rss_redis_kb", servers.redisRss());
            }
            double perConn = j.connected() <= 0 ? 0 : (rss - rss0) / (double) j.connected();
            results.put(k + "rss_per_conn_kb", Results.fmt(perConn));
            results.put(k + "problems", crowd.problems());
            results.log(String.format(Locale.ROOT,
                    "idle %d: %d connected, %d signed in and saw the whole list (%d did not)%s;"
                            + " RSS %.1f MiB = %.1f KiB per connection %s",
                    n, j.connected(), j.ok(), j.failed(),
                    j.complete() ? String.format(Locale.ROOT, " in %.0f ms", j.listMillis())
                            : " within the " + idleTimeoutMillis / 1000 + " s bound",
                    rss / 1024.0, perConn, crowd.problems()));
            results.save();
            if (!j.complete()) {
                results.log("idle: not every client signed in; larger sizes skipped");
                break;
            }
        }
        crowd.dismiss();
        quiet("idle.end");
    }

    // ---- warm-up and join storms ----

    /**
     * An unreported warm-up: 300 clients sign in, S senders send {@code messages} each. The
     * first (50 each) comes before the join storms, which so still meet a server that has
     * seen little traffic (as after a restart). The second (--fanout-warmup, 2,000 each: 6M
     * deliveries) comes before the fan-outs, whose figures are meant as the server's steady
     * state: after the first alone, a third of our JVM's CPU in the saturation run at
     * N = 250 (under a second long) was its JIT compiler still at work. The second ends with
     * {@code pacedSeconds} (--fanout-warmup-paced, 30 s) paced at {@value #WARMUP_RATE}
     * deliveries/s: at saturation a cluster node reads the stream hundreds of events per call,
     * so its per-read path, which a paced load runs once or twice per message, met the paced
     * runs still interpreted or half compiled (the cluster's CPU per delivery at N = 250 and
     * 100,000/s fell from 10.0 to 5.3, 3.6 and then 2.9 to 4.3 us over consecutive 10 s runs).
     */
    private void warmUp(Load load, FanOutRunner runner, int messages, double pacedSeconds, String what)
            throws Exception {
        results.log(what + ": 300 clients sign in, " + senders + " senders x " + messages + " messages"
                + (pacedSeconds > 0 ? String.format(Locale.ROOT, ", then %.0f s paced at %d deliveries/s", pacedSeconds,
                        WARMUP_RATE) : "")
                + " (not reported)");
        Crowd crowd = new Crowd(load, "w" + (++phaseNo) + "-");
        Crowd.Join j = crowd.grow(300, connectWindow, joinTimeoutMillis);
        if (!j.complete()) {
            results.log(what + ": only " + j.ok() + " of 300 signed in; " + crowd.problems());
        }
        quiet(what);
        runner.windowed(crowd, "w" + phaseNo + ".", senders, messages, window, j.ok(), null);
        if (pacedSeconds > 0 && j.ok() > 0) {
            quiet(what);
            runner.paced(crowd, "w" + phaseNo + "p.", senders, WARMUP_RATE, pacedSeconds, j.ok(), null);
        }
        crowd.dismiss();
    }

    /**
     * Each storm: N clients connect at once (at most connect-window handshakes pending) and
     * sign in; timed until every one has seen a userlist holding all N. After a storm that
     * did not complete within its bound, larger ones are skipped (they would only fail slower).
     */
    private void join(Load load, List<Integer> sizes) throws Exception {
        boolean failed = false;
        for (int n : sizes) {
            String k = "join." + n + ".";
            if (failed) {
                results.put(k + "skipped", "a smaller storm did not complete");
                continue;
            }
            Crowd crowd = new Crowd(load, "j" + (++phaseNo) + "-");
            quiet("join." + n);
            long drops0 = Proc.listenDrops();
            Servers.Snapshot before = servers.snapshot();
            Crowd.Join j = crowd.grow(n, connectWindow, joinTimeoutMillis);
            Servers.Snapshot after = servers.snapshot();
            long drops1 = Proc.listenDrops();
            double cpuMs = (after.cpu() - before.cpu()) / 1000.0;
            double redisMs = (after.redisCpu() - before.redisCpu()) / 1000.0;
            results.put(k + "complete", j.complete() ? 1 : 0);
            results.put(k + "timeout_s", joinTimeoutMillis / 1000);
            if (j.complete()) {
                results.put(k + "ms", Results.fmt(j.listMillis()));
            }
            results.put(k + "handshake_ms", Results.fmt(j.handshakeMillis()));
            results.put(k + "id_ms", Results.fmt(j.idMillis()));
            results.put(k + "ok", j.ok());
            results.put(k + "failed", j.failed());
            results.put(k + "server_cpu_ms", Results.fmt(cpuMs));
            if (servers.hasRedis()) {
                results.put(k + "server_cpu_nodes_ms", Results.fmt(cpuMs - redisMs));
                results.put(k + "server_cpu_redis_ms", Results.fmt(redisMs));
            }
            results.put(k + "generator_cpu_ms", Results.fmt((after.generatorCpu() - before.generatorCpu()) / 1000.0));
            results.put(k + "listen_drops", drops1 - drops0);
            results.put(k + "server_errors", crowd.serverErrors());
            results.put(k + "problems", crowd.problems());
            results.log(String.format(Locale.ROOT,
                    "join %d: %s (handshakes %.0f ms, ids %.0f ms), %d ok, %d failed; server CPU %.0f ms%s, "
                            + "generator CPU %.0f ms, listen drops %d %s",
                    n, j.complete() ? String.format(Locale.ROOT, "all lists complete in %.0f ms", j.listMillis())
                            : "NOT complete within " + joinTimeoutMillis / 1000 + " s",
                    j.handshakeMillis(), j.idMillis(), j.ok(), j.failed(), cpuMs,
                    servers.hasRedis() ? String.format(Locale.ROOT, " (of which Redis %.0f ms)", redisMs) : "",
                    (after.generatorCpu() - before.generatorCpu()) / 1000.0, drops1 - drops0, crowd.problems()));
            results.save();
            crowd.dismiss();
            failed = !j.complete();
        }
    }

    // ---- fan-out ----

    /** One crowd grown through the sizes; at each, a saturation run, then one paced run per rate. */
    private void fanOut(Load load, FanOutRunner runner, List<Integer> sizes) throws Exception {
        Crowd crowd = new Crowd(load, "f" + (++phaseNo) + "-");
        for (int n : sizes) {
            Crowd.Join j = crowd.grow(n, connectWindow, joinTimeoutMillis);
            String k = "fanout." + n + ".";
            if (!j.complete()) {
                results.put(k + "setup_problem", j.ok() + " of " + n + " signed in; " + crowd.problems());
                results.log("fan-out " + n + ": only " + j.ok() + " signed in; running anyway");
            }
            if (j.ok() == 0) {
                continue;
            }
            quiet("fanout." + n);
            runner.windowed(crowd, "r" + (++phaseNo) + ".", senders, messages, window, j.ok(), k);
            results.save();
            for (int rate : rates) {
                quiet("paced." + n + "." + rate);
                runner.paced(crowd, "r" + (++phaseNo) + ".", senders, rate, pacedSeconds, j.ok(),
                        "paced." + n + "." + rate + ".");
                results.save();
            }
        }
        crowd.dismiss();
    }

    // ---- helpers ----

    /** Waits for the server to go quiet before {@code phase}; says so in the results when it did not. */
    private void quiet(String phase) throws InterruptedException {
        if (!servers.waitQuiet(QUIET_SECONDS)) {
            results.put("not_quiet." + phase, "server still busy after " + QUIET_SECONDS + " s; started anyway");
            results.log(phase + ": the server was still busy after " + QUIET_SECONDS + " s; starting anyway");
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
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
}
