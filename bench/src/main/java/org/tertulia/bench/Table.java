package org.tertulia.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The markdown summary: how the figures were taken (from the invocation's meta file), then one
 * row per figure with, per column, the median and range over its runs, and per pair of
 * columns the median and range of the per-round ratios.
 */
final class Table {

    /** How a row's cells are made: median [min–max] of a figure, or how many runs passed a check (1 or 0). */
    private enum Kind { MEDIAN, RUNS }

    private record Row(String phase, String metric, String key, double scale, int decimals, boolean lowerIsBetter,
            Kind kind) {
    }

    /** A ratio column: {@code numerator / denominator} within each round. */
    record Ratio(String numerator, String denominator) {
        String header() {
            return numerator + " / " + denominator;
        }
    }

    private final RunSet runs;
    private final Map<String, String> meta;
    private final List<Ratio> ratios;
    private final List<Row> rows = new ArrayList<>();

    Table(RunSet runs, Map<String, String> meta) {
        this.runs = runs;
        this.meta = meta;
        this.ratios = ratios(runs);
    }

    /** ours / peer; each variant of ours / ours; cluster / ours: whichever columns were run. */
    static List<Ratio> ratios(RunSet runs) {
        List<Ratio> out = new ArrayList<>();
        if (runs.has("ours") && runs.has("peer")) {
            out.add(new Ratio("ours", "peer"));
        }
        if (runs.has("ours")) {
            for (String c : runs.columns()) {
                if (!c.equals("ours") && !c.equals("peer")) {
                    out.add(new Ratio(c, "ours"));
                }
            }
        }
        return out;
    }

    String name(String column) {
        return meta.getOrDefault("column." + column + ".name", column);
    }

    String markdown() {
        defineRows();
        StringBuilder sb = new StringBuilder();
        header(sb);
        sb.append("| phase | metric |");
        for (String c : runs.columns()) {
            sb.append(' ').append(name(c)).append(" |");
        }
        for (Ratio r : ratios) {
            sb.append(' ').append(r.header()).append(" |");
        }
        sb.append(" better |\n|---|---|");
        sb.append("---:|".repeat(runs.columns().size() + ratios.size()));
        sb.append("---|\n");
        for (Row row : rows) {
            row(sb, row);
        }
        sb.append('\n');
        notes(sb);
        return sb.toString();
    }

    private void header(StringBuilder sb) {
        sb.append("# Benchmark summary\n\n");
        sb.append("- Command: `").append(meta.getOrDefault("command", "?")).append("`\n");
        sb.append("- Runs: R = ").append(meta.getOrDefault("repeat", String.valueOf(runs.rounds())))
                .append(" rounds; each round runs every column once, a fresh server per run; order per round: ");
        for (int round = 1; round <= runs.rounds(); round++) {
            sb.append(round > 1 ? "; " : "").append(round).append(": ")
                    .append(meta.getOrDefault("round." + round + ".order", "?").replace(",", ", "));
        }
        sb.append('\n');
        sb.append("- Pinned: ").append(meta.getOrDefault("pinned", "?")).append('\n');
        if (meta.containsKey("profiled")) {
            sb.append("- **Profiled**: ").append(meta.get("profiled")).append('\n');
        }
        sb.append("- Our server: ").append(meta.getOrDefault("server.java", "?")).append("; JVM options `")
                .append(meta.getOrDefault("server.jvm_opts", "")).append("` (")
                .append(meta.getOrDefault("server.jvm_opts_source", "?")).append(")\n");
        sb.append("- Generator: ").append(meta.getOrDefault("generator.java", "?")).append("; options `")
                .append(meta.getOrDefault("generator.jvm_opts", "")).append("`, ")
                .append(meta.getOrDefault("generator.threads", "?")).append(" event-loop threads\n");
        sb.append("- Load average (1, 5, 15 min): before ").append(meta.getOrDefault("loadavg.start", "?"))
                .append("; after ").append(meta.getOrDefault("loadavg.end", "?")).append('\n');
        if (meta.containsKey("probe.start")) {
            sb.append("- CPU speed probe (ms for one thread to sort a million ints; lower is faster): before ")
                    .append(meta.get("probe.start")).append("; after ").append(meta.getOrDefault("probe.end", "?"))
                    .append("; before each run: ").append(probeSpread()).append('\n');
        }
        sb.append("- Machine: ").append(meta.getOrDefault("machine", "?")).append("; commit ")
                .append(meta.getOrDefault("commit", "?")).append("; ").append(meta.getOrDefault("date", "?"))
                .append("; took ").append(meta.getOrDefault("elapsed_s", "?")).append(" s\n");
        sb.append("- Columns:");
        for (String c : runs.columns()) {
            sb.append(' ').append(name(c)).append(" = ").append(runs.text(c, "server.desc", "?")).append(';');
        }
        sb.setLength(sb.length() - 1);
        sb.append('\n');
        String senders = meta.getOrDefault("senders", "?");
        String fanoutWarmup = meta.get("fanout_warmup");
        if (fanoutWarmup == null || fanoutWarmup.equals("0")) {
            sb.append("- Warm-up (not reported): 300 clients and ").append(senders)
                    .append(" senders x 50 messages, before the join storms and the fan-outs\n");
        } else {
            sb.append("- Warm-ups (not reported): 300 clients and ").append(senders)
                    .append(" senders x 50 messages before the join storms; 300 clients and ").append(senders)
                    .append(" senders x ").append(fanoutWarmup).append(" messages before the fan-outs");
            String paced = meta.get("fanout_warmup_paced");
            if (paced != null && !paced.equals("0")) {
                sb.append(", then ").append(paced).append(" s paced at ")
                        .append(String.format(Locale.ROOT, "%,d", Bench.WARMUP_RATE)).append(" deliveries/s");
            }
            sb.append('\n');
        }
        sb.append("- Fan-out at saturation: ").append(meta.getOrDefault("senders", "?")).append(" senders x ")
                .append(meta.getOrDefault("messages", "?")).append(" messages, at most ")
                .append(meta.getOrDefault("window", "?")).append(" in flight per sender. Paced: ")
                .append(meta.getOrDefault("senders", "?")).append(" senders on a fixed schedule for about ")
                .append(meta.getOrDefault("paced_seconds", "?"))
                .append(" s per rate, latency from the intended send time; sustained = achieved at least ")
                .append(Math.round(FanOutRunner.SUSTAINED * 100)).append("% of the offered deliveries/s\n");
        sb.append("- Cells: median [min–max] over the runs of that column, \"(n=k)\" when only k runs gave the"
                + " figure. Ratio columns (a / b): median [min–max] of the per-round ratios, each round's figure of a"
                + " divided by the same round's figure of b, over the k rounds where both have it and b is not 0"
                + " (\"(n=k)\" when k < R). \"k/n runs\": how many of the n runs passed.\n\n");
    }

    private void defineRows() {
        for (int n : runs.sizes("join.")) {
            String p = "join storm " + count(n);
            String k = "join." + n + ".";
            runs(p, "complete within the bound (runs)", k + "complete");
            add(p, "time to full userlist, complete runs (ms)", k + "ms", 1, 0, true);
            add(p, "handshakes done (ms)", k + "handshake_ms", 1, 0, true);
            add(p, "server CPU (ms)", k + "server_cpu_ms", 1, 0, true);
            add(p, "... of which Redis (ms)", k + "server_cpu_redis_ms", 1, 0, true);
            add(p, "clients with the full list", k + "ok", 1, 0, false);
        }
        for (int n : runs.sizes("fanout.")) {
            String p = "fan-out " + count(n) + ", saturation";
            String k = "fanout." + n + ".";
            add(p, "deliveries/s", k + "deliveries_per_s", 1, 0, false);
            deliveryRows(p, k, true);
            for (int rate : runs.sizes("paced." + n + ".")) {
                String q = "fan-out " + count(n) + ", paced " + count(rate) + "/s";
                String m = "paced." + n + "." + rate + ".";
                runs(q, "offered load sustained (runs)", m + "sustained");
                add(q, "achieved deliveries/s", m + "achieved_per_s", 1, 0, false);
                deliveryRows(q, m, false);
                add(q, "generator send lag p99 (ms)", m + "send_lag_p99_us", 0.001, 1, true);
                add(q, "drained after the last send (ms)", m + "drain_ms", 1, 0, true);
            }
        }
        add("idle", "RSS with 0 connections (MiB)", "idle.0.rss_kb", 1 / 1024.0, 1, true);
        add("idle", "... of which Redis (MiB)", "idle.0.rss_redis_kb", 1 / 1024.0, 1, true);
        for (int n : runs.sizes("idle.")) {
            if (n == 0) {
                continue;
            }
            String p = "idle " + count(n);
            String k = "idle." + n + ".";
            runs(p, "all signed in within the bound (runs)", k + "complete");
            add(p, "connections held", k + "connected", 1, 0, false);
            add(p, "time to sign all in (ms)", k + "signin_ms", 1, 0, true);
            add(p, "RSS (MiB)", k + "rss_kb", 1 / 1024.0, 1, true);
            add(p, "... of which Redis (MiB)", k + "rss_redis_kb", 1 / 1024.0, 1, true);
            add(p, "RSS per connection (KiB)", k + "rss_per_conn_kb", 1, 1, true);
        }
    }

    /**
     * The rows a saturated and a paced fan-out share; at saturation, also how busy the server
     * was. Write calls per delivery are shown for both: fewer frames per write (a lighter
     * load) also cost the generator more reads per delivery.
     */
    private void deliveryRows(String p, String k, boolean saturation) {
        add(p, "server CPU us/delivery", k + "server_cpu_us_per_delivery", 1, 3, true);
        add(p, "... of which Redis us/delivery", k + "server_cpu_redis_us_per_delivery", 1, 3, true);
        if (saturation) {
            add(p, "server cores busy", k + "server_cores", 1, 2, true);
            add(p, "server kernel share of CPU", k + "server_kernel_share", 1, 2, true);
        }
        add(p, "server write syscalls/delivery", k + "server_writes_per_delivery", 1, 3, true);
        add(p, "latency p50 (ms)", k + "p50_us", 0.001, 1, true);
        add(p, "latency p99 (ms)", k + "p99_us", 0.001, 1, true);
        add(p, "latency max (ms)", k + "max_us", 0.001, 1, true);
        add(p, "missing deliveries", k + "missing", 1, 0, true);
        add(p, "connections lost during the run", k + "connections_lost", 1, 0, true);
        add(p, "generator CPU us/delivery", k + "generator_cpu_us_per_delivery", 1, 3, true);
        add(p, "generator cores busy", k + "generator_cores", 1, 2, true);
        add(p, "generator GC pauses (ms)", k + "generator_gc_ms", 1, 0, true);
    }

    private void add(String phase, String metric, String key, double scale, int decimals, boolean lowerIsBetter) {
        rows.add(new Row(phase, metric, key, scale, decimals, lowerIsBetter, Kind.MEDIAN));
    }

    private void runs(String phase, String metric, String key) {
        rows.add(new Row(phase, metric, key, 1, 0, false, Kind.RUNS));
    }

    private void row(StringBuilder sb, Row row) {
        if (runs.columns().stream().allMatch(c -> runs.values(c, row.key).isEmpty())) {
            return;
        }
        sb.append("| ").append(row.phase).append(" | ").append(row.metric).append(" |");
        for (String c : runs.columns()) {
            sb.append(' ').append(row.kind == Kind.RUNS ? passed(c, row.key) : cell(c, row)).append(" |");
        }
        for (Ratio r : ratios) {
            Stats s = row.kind == Kind.RUNS ? null : Stats.of(runs.ratios(r.numerator(), r.denominator(), row.key));
            String text = s == null ? "-" : range(s, 1, 2, false);
            sb.append(' ').append(s != null && s.n() < runs.rounds() ? text + " (n=" + s.n() + ")" : text).append(" |");
        }
        sb.append(row.kind == Kind.RUNS ? "" : row.lowerIsBetter ? " lower" : " higher").append(" |\n");
    }

    private String cell(String column, Row row) {
        Stats s = Stats.of(runs.values(column, row.key));
        if (s == null) {
            return "-";
        }
        String text = range(s, row.scale, row.decimals, true);
        return s.n() < runs.runsOf(column) ? text + " (n=" + s.n() + ")" : text;
    }

    private String passed(String column, String key) {
        List<Double> v = runs.values(column, key);
        if (v.isEmpty()) {
            return "-";
        }
        long ok = v.stream().filter(x -> x == 1).count();
        String text = ok + "/" + v.size() + " runs";
        return ok < v.size() ? "**" + text + "**" : text;
    }

    private static String figure(RunSet.Run run, String key, double scale, int decimals) {
        Double v = RunSet.number(run.values().get(key));
        return v == null ? "?" : String.format(Locale.ROOT, "%,." + decimals + "f", v * scale);
    }

    private static String range(Stats s, double scale, int decimals, boolean grouping) {
        String f = grouping ? "%,." + decimals + "f" : "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " [" + f + "–" + f + "]", s.median() * scale, s.min() * scale,
                s.max() * scale);
    }

    private static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** What went wrong, per run: failed runs, unsustained paced loads, lost messages, problems. */
    private void notes(StringBuilder sb) {
        StringBuilder notes = new StringBuilder();
        meta.forEach((k, v) -> {
            if (k.startsWith("failed.")) {
                notes.append("- run ").append(k.substring("failed.".length())).append(" failed: ").append(v).append('\n');
            }
        });
        for (RunSet.Run run : runs.runs()) {
            String who = name(run.column()) + ", round " + run.round();
            run.values().forEach((k, v) -> {
                boolean problem = (k.endsWith(".problems") || k.endsWith(".setup_problem") || k.endsWith(".lost_messages")
                        || k.endsWith(".skipped") || k.startsWith("not_quiet.")) && !v.isBlank();
                if (problem) {
                    // A crowd's problems accumulate over its phase (a fan-out crowd: all its sizes and runs).
                    String scope = k.endsWith(".problems") ? " (its crowd so far)" : "";
                    notes.append("- ").append(who).append(", ").append(k).append(scope).append(": ").append(v).append('\n');
                } else if (k.endsWith(".sustained") && v.equals("0")) {
                    String p = k.substring(0, k.length() - "sustained".length());
                    String[] n = p.split("\\.");
                    notes.append("- ").append(who).append(", fan-out ").append(n[1]).append(" paced at ").append(n[2])
                            .append("/s: NOT sustained, achieved ").append(figure(run, p + "achieved_per_s", 1, 0))
                            .append("/s; generator cores busy ").append(figure(run, p + "generator_cores", 1, 2))
                            .append(", send lag p99 ").append(figure(run, p + "send_lag_p99_us", 0.001, 1))
                            .append(" ms, drained ").append(figure(run, p + "drain_ms", 1, 0))
                            .append(" ms after the last send\n");
                }
            });
        }
        if (notes.length() > 0) {
            sb.append("Notes (per run):\n\n").append(notes);
        }
    }

    private static final Pattern PROBE =
            Pattern.compile("(CPU \\S+|unpinned) ([0-9.]+) ms");

    /** The per-run probes of each CPU: median [min–max], over the runs that recorded one. */
    private String probeSpread() {
        Map<String, List<Double>> byCpu = new TreeMap<>();
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (!e.getKey().startsWith("probe.r")) {
                continue;
            }
            Matcher m = PROBE.matcher(e.getValue());
            while (m.find()) {
                byCpu.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Double.parseDouble(m.group(2)));
            }
        }
        if (byCpu.isEmpty()) {
            return "none recorded";
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<Double>> e : byCpu.entrySet()) {
            Stats s = Stats.of(e.getValue());
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(e.getKey()).append(' ').append(range(s, 1, 1, false))
                    .append(" (").append(s.n()).append(s.n() == 1 ? " run)" : " runs)");
        }
        return out.toString();
    }
}
