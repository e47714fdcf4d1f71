package org.tertulia.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The server processes under test, read through /proc: one process (ours, the peer) or a
 * cluster's nodes plus its Redis. CPU, write calls and RSS are sums over all of them; the
 * Redis share is also kept apart so a cluster's cost can be split.
 */
final class Servers {

    /** Counters at one instant, to subtract: server CPU, kernel CPU, write calls; generator CPU and GC time. */
    record Snapshot(long cpu, long redisCpu, long systemCpu, long writes, long generatorCpu, long generatorGcMillis,
            long nanos) {
    }

    private final List<String> nodePids;
    private final String redisPid;
    private final List<String> allPids;
    private final String gcCommand;

    Servers(List<String> nodePids, String redisPid, String gcCommand) {
        this.nodePids = List.copyOf(nodePids);
        this.redisPid = redisPid;
        this.allPids = new ArrayList<>(nodePids);
        if (!redisPid.isEmpty()) {
            allPids.add(redisPid);
        }
        this.gcCommand = gcCommand;
    }

    List<String> nodePids() {
        return nodePids;
    }

    String redisPid() {
        return redisPid;
    }

    boolean hasRedis() {
        return !redisPid.isEmpty();
    }

    Snapshot snapshot() {
        return new Snapshot(cpu(), redisCpu(), sum(Proc::systemMicros), writeCalls(), Proc.cpuMicros("self"),
                generatorGcMillis(), System.nanoTime());
    }

    /** Time this JVM (the generator) spent in GC so far: a long pause here would stall every client at once. */
    private static long generatorGcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** utime + stime summed over every server process (nodes and Redis), in microseconds. */
    long cpu() {
        return sum(Proc::cpuMicros);
    }

    long redisCpu() {
        return redisPid.isEmpty() ? 0 : Math.max(0, Proc.cpuMicros(redisPid));
    }

    /** VmRSS summed over every server process in KiB, or -1 with none. */
    long rss() {
        return allPids.isEmpty() ? -1 : sum(Proc::rssKb);
    }

    long redisRss() {
        return redisPid.isEmpty() ? -1 : Proc.rssKb(redisPid);
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

    private long sum(ToLongFunction<String> f) {
        long total = 0;
        for (String p : allPids) {
            total += Math.max(0, f.applyAsLong(p));
        }
        return total;
    }

    /**
     * RSS after a full GC of each JVM (the gc command, e.g. {@code jcmd PID GC.run}), so
     * garbage does not count as memory held; without a command, after a short pause.
     */
    long settledRss() throws InterruptedException {
        if (!gcCommand.isBlank()) {
            Proc.run(gcCommand, 60);
            Thread.sleep(1000);
        } else {
            Thread.sleep(2000);
        }
        return rss();
    }

    /**
     * Waits (at most {@code maxSeconds}) until the servers use under ~8% of a core each over
     * 250 ms: the last phase's work is done. False when they never went quiet.
     */
    boolean waitQuiet(int maxSeconds) throws InterruptedException {
        if (allPids.isEmpty()) {
            Thread.sleep(500);
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        long before = cpu();
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            long now = cpu();
            if (now - before <= 20_000L * allPids.size()) {
                return true;
            }
            before = now;
        }
        return false;
    }
}
