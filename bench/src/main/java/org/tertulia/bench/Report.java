package org.tertulia.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code report --out DIR}: reads every run of one invocation (DIR/runs/*.properties) and how
 * it was made (DIR/meta.properties, written by script/bench), and writes summary.md,
 * results.json, results.csv and, when there was a saturation fan-out, fanout.svg.
 */
final class Report {

    private Report() {
    }

    static void main(Options o) throws IOException {
        Path dir = Path.of(o.string("out", "."));
        Map<String, String> meta = RunSet.properties(dir.resolve("meta.properties"));
        List<String> order = Arrays.asList(meta.getOrDefault("columns", "ours,peer,cluster").split(","));
        RunSet runs = RunSet.load(dir.resolve("runs"), order);
        Table table = new Table(runs, meta);
        String summary = table.markdown();
        System.out.println(summary);
        Files.writeString(dir.resolve("summary.md"), summary, StandardCharsets.UTF_8);
        RawOutput raw = new RawOutput(runs, meta);
        Files.writeString(dir.resolve("results.json"), raw.json(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("results.csv"), raw.csv(), StandardCharsets.UTF_8);
        if (!runs.sizes("fanout.").isEmpty()) {
            String subtitle = meta.getOrDefault("senders", "?") + " senders x " + meta.getOrDefault("messages", "?")
                    + " messages, window " + meta.getOrDefault("window", "?") + "; pinned: "
                    + meta.getOrDefault("pinned", "?");
            Files.writeString(dir.resolve("fanout.svg"), new Plot(runs, table::name).svg(subtitle), StandardCharsets.UTF_8);
        }
        System.out.println("wrote " + dir.resolve("summary.md") + ", results.json, results.csv"
                + (runs.sizes("fanout.").isEmpty() ? "" : ", fanout.svg"));
    }
}
