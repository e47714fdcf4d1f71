package org.tertulia.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Entry point. {@code run} loads one server (or cluster) once and writes its figures;
 * {@code report} summarises every run of an invocation (medians, ranges, per-round ratios).
 * {@code script/bench} drives both.
 */
public final class Main {

    private static final String USAGE = """
            usage:
              java -jar tertulia-bench.jar run --url ws://127.0.0.1:PORT/chat --pid SERVER_PID --label NAME [options]
                --url A,B,...           several servers (cluster nodes): client i of a crowd uses URL i % n
                --pid P1,P2,...         the server processes whose CPU and RSS are summed (the nodes)
                --redis-pid PID         a cluster's Redis: added to the sums, and reported apart
                --out FILE              results (key=value), default NAME.properties
                --column C --round R --position P   where this run sits in an invocation (for report)
                --server-desc TEXT      what the server is (recorded as is)
                --idle LIST             idle signed-in connections to hold, e.g. 1000,10000 (none)
                --join LIST             join storm sizes, e.g. 1000,5000,10000 (none)
                --fanout LIST           fan-out sizes (N clients), e.g. 250,1000,2000 (none)
                --senders S --messages M --window W     saturation fan-out load (10, 200, 8)
                --rates LIST            paced fan-outs after each saturation run, in deliveries/s (none)
                --paced-seconds D       length of each paced schedule (10)
                --connect-window K      handshakes pending at once (128)
                --gc-cmd CMD            shell command run before each RSS reading (e.g. jcmd PID GC.run)
                --threads T             generator event loops (2)
                --warmup false          skip the unreported warm-ups (300 clients; S x 50 messages before
                                        the join storms, S x FANOUT_WARMUP before the fan-outs)
                --fanout-warmup M       messages per sender in the warm-up before the fan-outs (2000; 0 skips it)
                --fanout-warmup-paced-s S   then S seconds paced at 100,000 deliveries/s (30; 0 skips it)
                --idle-timeout-s (120), --join-timeout-s (120), --fanout-timeout-s (90), --handshake-timeout-s (60)
              java -jar tertulia-bench.jar calibrate
                prints how many ms one thread takes to sort a million ints (a fixed, seeded array;
                the median of 5 sorts after 3 unreported ones): how fast the CPU it runs on is now
              java -jar tertulia-bench.jar report --out DIR
                reads DIR/runs/*.properties and DIR/meta.properties; writes summary.md, results.json,
                results.csv, fanout.svg in DIR
            """;

    private Main() {
    }

    /**
     * A CPU speed probe: the same work every time, so that two invocations (or the start and
     * end of one) on a machine whose speed drifts can be told apart. Milliseconds, one decimal.
     */
    static String calibrate() {
        int[] source = new int[1 << 20];
        Random random = new Random(42);
        for (int i = 0; i < source.length; i++) {
            source[i] = random.nextInt();
        }
        int[] work = new int[source.length];
        long[] nanos = new long[5];
        for (int round = -3; round < nanos.length; round++) {
            System.arraycopy(source, 0, work, 0, source.length);
            long start = System.nanoTime();
            Arrays.sort(work);
            long took = System.nanoTime() - start;
            if (round >= 0) {
                nanos[round] = took;
            }
        }
        Arrays.sort(nanos);
        return String.format(Locale.ROOT, "%.1f", nanos[nanos.length / 2] / 1e6);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return;
        }
        Options options = new Options(args, 1);
        switch (args[0]) {
            case "run" -> new Bench(options).run();
            case "report" -> Report.main(options);
            case "calibrate" -> System.out.println(calibrate());
            default -> {
                System.err.print(USAGE);
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
