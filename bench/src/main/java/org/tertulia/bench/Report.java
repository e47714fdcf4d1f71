package org.tertulia.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Puts two result files side by side (ours and the peer): a markdown table with ratios,
 * the raw figures as JSON and CSV, and an SVG plot of the fan-out sweep. A third file, ours
 * run as a cluster (two nodes and Redis), adds a column and its ratio to the single node.
 */
final class Report {

    private final Map<String, String> ours;
    private final Map<String, String> peer;
    private final Map<String, String> cluster;
    private final String oursName;
    private final String peerName;
    private final String clusterName;

    Report(Map<String, String> ours, Map<String, String> peer, Map<String, String> cluster, String oursName,
            String peerName, String clusterName) {
        this.ours = ours;
        this.peer = peer;
        this.cluster = cluster;
        this.oursName = oursName;
        this.peerName = peerName;
        this.clusterName = clusterName;
    }

    private boolean hasCluster() {
        return !cluster.isEmpty();
    }

    /** A setting of the load (fanout.senders, ...), from whichever run has it. */
    private String load(String key) {
        for (Map<String, String> m : List.of(ours, cluster, peer)) {
            if (m.containsKey(key)) {
                return m.get(key);
            }
        }
        return "?";
    }

    static Map<String, String> load(Path file) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        if (file == null || !Files.exists(file)) {
            return map;
        }
        // Keep the file's order (Properties would lose it).
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                map.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return map;
    }

    static void main(Options o) throws IOException {
        Path dir = Path.of(o.string("out", "."));
        Files.createDirectories(dir);
        Report r = new Report(load(Path.of(o.string("ours", dir.resolve("ours.properties").toString()))),
                load(Path.of(o.string("peer", dir.resolve("peer.properties").toString()))),
                load(Path.of(o.string("cluster", dir.resolve("cluster.properties").toString()))),
                o.string("ours-name", "Tertulia"), o.string("peer-name", "Node peer"),
                o.string("cluster-name", "Tertulia 2 nodes + Redis"));
        String table = r.table();
        System.out.println(table);
        Files.writeString(dir.resolve("summary.md"), table, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("results.json"), r.json(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("results.csv"), r.csv(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("fanout.svg"), r.svg(), StandardCharsets.UTF_8);
        System.out.println("wrote " + dir.resolve("summary.md") + ", results.json, results.csv, fanout.svg");
    }

    // ---- table ----

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("Servers: ").append(oursName).append(" = ").append(ours.getOrDefault("server.desc", "?"))
                .append("; ").append(peerName).append(" = ").append(peer.getOrDefault("server.desc", "?"));
        if (hasCluster()) {
            sb.append("; ").append(clusterName).append(" = ").append(cluster.getOrDefault("server.desc", "?"));
        }
        sb.append("\n");
        sb.append("Fan-out load: ").append(load("fanout.senders")).append(" senders x ")
                .append(load("fanout.messages")).append(" messages, window ")
                .append(load("fanout.window")).append(" per sender. Ratio = ours / peer.");
        if (hasCluster()) {
            sb.append(" Cluster: clients (and senders) alternate between the nodes; its server CPU is both nodes' plus"
                    + " Redis's; ratio = cluster / ours (one node).");
        }
        sb.append("\n\n");
        sb.append("| phase | metric | ").append(oursName).append(" | ").append(peerName).append(" | ratio | ");
        if (hasCluster()) {
            sb.append(clusterName).append(" | cluster / ours | ");
        }
        sb.append("better |\n|---|---|---:|---:|---:|").append(hasCluster() ? "---:|---:|" : "").append("---|\n");
        for (int n : sizes("join.")) {
            row(sb, "join storm " + n, "time to full userlist (ms)", "join." + n + ".ms", 1, 0, true);
            row(sb, "join storm " + n, "handshakes done (ms)", "join." + n + ".handshake_ms", 1, 0, true);
            row(sb, "join storm " + n, "server CPU (ms)", "join." + n + ".server_cpu_ms", 1, 0, true);
            row(sb, "join storm " + n, "... of which Redis (ms)", "join." + n + ".server_cpu_redis_ms", 1, 0, true);
            row(sb, "join storm " + n, "clients failed", "join." + n + ".failed", 1, 0, true);
        }
        for (int n : sizes("fanout.")) {
            String k = "fanout." + n + ".";
            row(sb, "fan-out " + n, "deliveries/s", k + "deliveries_per_s", 1, 0, false);
            row(sb, "fan-out " + n, "server CPU us/delivery", k + "server_cpu_us_per_delivery", 1, 3, true);
            row(sb, "fan-out " + n, "... of which Redis us/delivery", k + "server_cpu_redis_us_per_delivery", 1, 3, true);
            row(sb, "fan-out " + n, "server cores busy", k + "server_cores", 1, 2, true);
            row(sb, "fan-out " + n, "server kernel share of CPU", k + "server_kernel_share", 1, 2, true);
            row(sb, "fan-out " + n, "server write syscalls/delivery", k + "server_writes_per_delivery", 1, 3, true);
            row(sb, "fan-out " + n, "latency p50 (ms)", k + "p50_us", 0.001, 1, true);
            row(sb, "fan-out " + n, "latency p95 (ms)", k + "p95_us", 0.001, 1, true);
            row(sb, "fan-out " + n, "latency p99 (ms)", k + "p99_us", 0.001, 1, true);
            row(sb, "fan-out " + n, "latency max (ms)", k + "max_us", 0.001, 1, true);
            row(sb, "fan-out " + n, "missing deliveries", k + "missing", 1, 0, true);
            row(sb, "fan-out " + n, "generator CPU us/delivery", k + "generator_cpu_us_per_delivery", 1, 3, true);
        }
        row(sb, "idle", "baseline RSS, 0 connections (MiB)", "idle.0.rss_kb", 1 / 1024.0, 1, true);
        row(sb, "idle", "... of which Redis (MiB)", "idle.0.rss_redis_kb", 1 / 1024.0, 1, true);
        for (int n : sizes("idle.")) {
            if (n == 0) {
                continue;
            }
            row(sb, "idle " + n, "connections held", "idle." + n + ".connected", 1, 0, false);
            row(sb, "idle " + n, "of which signed in, saw full list", "idle." + n + ".signed_in", 1, 0, false);
            row(sb, "idle " + n, "time to sign all in (ms)", "idle." + n + ".signin_ms", 1, 0, true);
            row(sb, "idle " + n, "RSS (MiB)", "idle." + n + ".rss_kb", 1 / 1024.0, 1, true);
            row(sb, "idle " + n, "... of which Redis (MiB)", "idle." + n + ".rss_redis_kb", 1 / 1024.0, 1, true);
            row(sb, "idle " + n, "RSS per connection (KiB)", "idle." + n + ".rss_per_conn_kb", 1, 1, true);
        }
        sb.append('\n');
        problems(sb, oursName, ours);
        problems(sb, peerName, peer);
        problems(sb, clusterName, cluster);
        return sb.toString();
    }

    private static void problems(StringBuilder sb, String name, Map<String, String> m) {
        m.forEach((k, v) -> {
            if ((k.endsWith(".problems") || k.endsWith(".setup_problem") || k.endsWith(".lost_messages")) && !v.isBlank()) {
                sb.append("- ").append(name).append(' ').append(k).append(": ").append(v).append('\n');
            }
        });
    }

    private void row(StringBuilder sb, String phase, String metric, String key, double scale, int decimals,
            boolean lowerIsBetter) {
        Double a = number(ours, key);
        Double b = number(peer, key);
        Double c = number(cluster, key);
        if (a == null && b == null && c == null) {
            return;
        }
        sb.append("| ").append(phase).append(" | ").append(metric).append(" | ").append(show(a, scale, decimals))
                .append(" | ").append(show(b, scale, decimals)).append(" | ").append(ratio(a, b)).append(" | ");
        if (hasCluster()) {
            sb.append(show(c, scale, decimals)).append(" | ").append(ratio(c, a)).append(" | ");
        }
        sb.append(lowerIsBetter ? "lower" : "higher").append(" |\n");
    }

    private static String ratio(Double a, Double b) {
        return a != null && b != null && b != 0 ? String.format(Locale.ROOT, "%.2f", a / b) : "-";
    }

    private static String show(Double v, double scale, int decimals) {
        if (v == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v * scale);
    }

    private List<Integer> sizes(String prefix) {
        TreeSet<Integer> set = new TreeSet<>();
        for (Map<String, String> m : List.of(ours, peer, cluster)) {
            for (String k : m.keySet()) {
                if (k.startsWith(prefix)) {
                    String rest = k.substring(prefix.length());
                    int dot = rest.indexOf('.');
                    if (dot > 0) {
                        try {
                            set.add(Integer.parseInt(rest.substring(0, dot)));
                        } catch (NumberFormatException e) {
                            // not a size (e.g. fanout.senders)
                        }
                    }
                }
            }
        }
        return new ArrayList<>(set);
    }

    private static Double number(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- raw data ----

    String json() {
        StringBuilder sb = new StringBuilder("{\n");
        side(sb, "ours", ours);
        sb.append(",\n");
        side(sb, "peer", peer);
        if (hasCluster()) {
            sb.append(",\n");
            side(sb, "cluster", cluster);
        }
        sb.append("\n}\n");
        return sb.toString();
    }

    private static void side(StringBuilder sb, String name, Map<String, String> m) {
        sb.append("  \"").append(name).append("\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : m.entrySet()) {
            sb.append(first ? "\n" : ",\n");
            first = false;
            sb.append("    ").append(quote(e.getKey())).append(": ");
            Double d = number(m, e.getKey());
            if (d != null && !d.isNaN() && !d.isInfinite() && e.getValue().matches("-?[0-9]+(\\.[0-9]+)?")) {
                sb.append(e.getValue());
            } else {
                sb.append(quote(e.getValue()));
            }
        }
        sb.append("\n  }");
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    String csv() {
        StringBuilder sb = new StringBuilder("server,key,value\n");
        for (Map.Entry<String, String> e : ours.entrySet()) {
            sb.append("ours,").append(e.getKey()).append(',').append(csvField(e.getValue())).append('\n');
        }
        for (Map.Entry<String, String> e : peer.entrySet()) {
            sb.append("peer,").append(e.getKey()).append(',').append(csvField(e.getValue())).append('\n');
        }
        for (Map.Entry<String, String> e : cluster.entrySet()) {
            sb.append("cluster,").append(e.getKey()).append(',').append(csvField(e.getValue())).append('\n');
        }
        return sb.toString();
    }

    private static String csvField(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    // ---- plot ----

    String svg() {
        List<Integer> ns = sizes("fanout.");
        int panelW = 380;
        int panelH = 280;
        int width = panelW * 3 + 20;
        int height = panelH + 70;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">"
                        + "Fan-out versus N clients (%s senders x %s messages, window %s)</text>\n",
                width / 2, load("fanout.senders"), load("fanout.messages"), load("fanout.window")));
        panel(sb, 10, 35, panelW, panelH, ns, "deliveries per second", "fanout.%d.deliveries_per_s", 1);
        panel(sb, 10 + panelW, 35, panelW, panelH, ns, "latency p99 (ms)", "fanout.%d.p99_us", 0.001);
        panel(sb, 10 + 2 * panelW, 35, panelW, panelH, ns, "server CPU per delivery (us)",
                "fanout.%d.server_cpu_us_per_delivery", 1);
        int ly = height - 12;
        int lx = hasCluster() ? width / 2 - 330 : width / 2 - 200;
        sb.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1f77b4\" stroke-width=\"3\"/>"
                        + "<text x=\"%d\" y=\"%d\">%s</text>\n",
                lx, ly - 4, lx + 30, ly - 4, lx + 35, ly, escape(oursName)));
        lx += 220;
        sb.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d62728\" stroke-width=\"3\" stroke-dasharray=\"6,3\"/>"
                        + "<text x=\"%d\" y=\"%d\">%s</text>\n",
                lx, ly - 4, lx + 30, ly - 4, lx + 35, ly, escape(peerName)));
        if (hasCluster()) {
            lx += 220;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#2ca02c\" stroke-width=\"3\" stroke-dasharray=\"2,3\"/>"
                            + "<text x=\"%d\" y=\"%d\">%s</text>\n",
                    lx, ly - 4, lx + 30, ly - 4, lx + 35, ly, escape(clusterName)));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private void panel(StringBuilder sb, int x0, int y0, int w, int h, List<Integer> ns, String title, String keyFormat,
            double scale) {
        int left = x0 + 60;
        int right = x0 + w - 15;
        int top = y0 + 25;
        int bottom = y0 + h - 40;
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>\n",
                (left + right) / 2, y0 + 12, escape(title)));
        double max = 0;
        for (int n : ns) {
            for (Map<String, String> m : List.of(ours, peer, cluster)) {
                Double v = number(m, String.format(Locale.ROOT, keyFormat, n));
                if (v != null) {
                    max = Math.max(max, v * scale);
                }
            }
        }
        double step = niceStep(max <= 0 ? 1 : max * 1.1 / 5);
        double axisMax = Math.max(step, Math.ceil(max * 1.1 / step) * step);
        // axes
        sb.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n",
                left, top, left, bottom, left, bottom, right, bottom));
        for (double t = 0; t <= axisMax + step / 2; t += step) {
            double y = bottom - (bottom - top) * t / axisMax;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    left, y, right, y, left - 5, y + 4, tick(t)));
        }
        int count = ns.size();
        double[] xs = new double[count];
        for (int i = 0; i < count; i++) {
            xs[i] = count == 1 ? (left + right) / 2.0 : left + 25 + (right - left - 50) * i / (double) (count - 1);
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", xs[i],
                    bottom + 16, ns.get(i)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">N clients</text>\n",
                (left + right) / 2, bottom + 32));
        series(sb, ours, ns, xs, keyFormat, scale, axisMax, top, bottom, "#1f77b4", "");
        series(sb, peer, ns, xs, keyFormat, scale, axisMax, top, bottom, "#d62728", " stroke-dasharray=\"6,3\"");
        series(sb, cluster, ns, xs, keyFormat, scale, axisMax, top, bottom, "#2ca02c", " stroke-dasharray=\"2,3\"");
    }

    private static void series(StringBuilder sb, Map<String, String> m, List<Integer> ns, double[] xs, String keyFormat,
            double scale, double topValue, int top, int bottom, String color, String dash) {
        StringBuilder points = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (int i = 0; i < ns.size(); i++) {
            Double v = number(m, String.format(Locale.ROOT, keyFormat, ns.get(i)));
            if (v == null) {
                continue;
            }
            double y = bottom - (bottom - top) * (v * scale) / topValue;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], y));
            dots.append(String.format(Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s</title></circle>\n", xs[i], y, color,
                    tick(v * scale)));
        }
        if (points.length() > 0) {
            sb.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2.5\"").append(dash)
                    .append(" points=\"").append(points.toString().trim()).append("\"/>\n");
            sb.append(dots);
        }
    }

    private static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return nice * mag;
    }

    private static String tick(double v) {
        if (v == 0) {
            return "0";
        }
        if (v >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
