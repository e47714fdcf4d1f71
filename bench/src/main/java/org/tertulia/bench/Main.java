package org.tertulia.bench;

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
              java -jar tertulia-bench.jar report --out DIR
                reads DIR/runs/*.properties and DIR/meta.properties; writes summary.md, results.json,
                results.csv, fanout.svg in DIR
            """;

    private Main() {
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
            default -> {
                System.err.print(USAGE);
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
