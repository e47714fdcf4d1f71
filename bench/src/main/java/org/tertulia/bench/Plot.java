package org.tertulia.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * fanout.svg: the saturation fan-out against N, one line per column through the medians of
 * its runs, in three panels: deliveries/s, p99 latency, server CPU per delivery.
 */
final class Plot {

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final String[] DASHES = {"", " stroke-dasharray=\"6,3\"", " stroke-dasharray=\"2,3\"",
            " stroke-dasharray=\"8,2,2,2\"", " stroke-dasharray=\"4,4\"", " stroke-dasharray=\"1,2\""};
    private static final int PANEL_W = 380;
    private static final int PANEL_H = 280;

    private final RunSet runs;
    private final Function<String, String> names;
    private final List<Integer> ns;

    Plot(RunSet runs, Function<String, String> names) {
        this.runs = runs;
        this.names = names;
        this.ns = runs.sizes("fanout.");
    }

    String svg(String subtitle) {
        int width = PANEL_W * 3 + 20;
        int height = PANEL_H + 90;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", width, height, width, height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" font-size=\"15\""
                + " font-weight=\"bold\">Fan-out at saturation versus N (medians of %d rounds)</text>\n", width / 2,
                runs.rounds()));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"38\" text-anchor=\"middle\">%s</text>\n", width / 2,
                escape(subtitle)));
        panel(sb, 10, 50, "deliveries per second", "deliveries_per_s", 1);
        panel(sb, 10 + PANEL_W, 50, "latency p99 (ms)", "p99_us", 0.001);
        panel(sb, 10 + 2 * PANEL_W, 50, "server CPU per delivery (us)", "server_cpu_us_per_delivery", 1);
        int ly = height - 12;
        int lx = 40;
        for (int i = 0; i < runs.columns().size(); i++) {
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-width=\"3\"%s/><text x=\"%d\" y=\"%d\">%s</text>\n", lx, ly - 4, lx + 30, ly - 4,
                    color(i), dash(i), lx + 35, ly, escape(names.apply(runs.columns().get(i)))));
            lx += 220;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private Double median(String column, int n, String figure) {
        Stats s = Stats.of(runs.values(column, "fanout." + n + "." + figure));
        return s == null ? null : s.median();
    }

    private void panel(StringBuilder sb, int x0, int y0, String title, String figure, double scale) {
        int left = x0 + 60;
        int right = x0 + PANEL_W - 15;
        int top = y0 + 25;
        int bottom = y0 + PANEL_H - 40;
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>\n",
                (left + right) / 2, y0 + 12, escape(title)));
        double max = 0;
        for (String c : runs.columns()) {
            for (int n : ns) {
                Double v = median(c, n, figure);
                if (v != null) {
                    max = Math.max(max, v * scale);
                }
            }
        }
        double step = niceStep(max <= 0 ? 1 : max * 1.1 / 5);
        double axisMax = Math.max(step, Math.ceil(max * 1.1 / step) * step);
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n",
                left, top, left, bottom, left, bottom, right, bottom));
        for (double t = 0; t <= axisMax + step / 2; t += step) {
            double y = bottom - (bottom - top) * t / axisMax;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", left, y, right, y, left - 5, y + 4, tick(t)));
        }
        double[] xs = new double[ns.size()];
        for (int i = 0; i < ns.size(); i++) {
            xs[i] = ns.size() == 1 ? (left + right) / 2.0 : left + 25 + (right - left - 50) * i / (double) (ns.size() - 1);
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", xs[i],
                    bottom + 16, ns.get(i)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">N clients</text>\n",
                (left + right) / 2, bottom + 32));
        for (int c = 0; c < runs.columns().size(); c++) {
            StringBuilder points = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int i = 0; i < ns.size(); i++) {
                Double v = median(runs.columns().get(c), ns.get(i), figure);
                if (v == null) {
                    continue;
                }
                double y = bottom - (bottom - top) * (v * scale) / axisMax;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], y));
                dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s</title>"
                        + "</circle>\n", xs[i], y, color(c), tick(v * scale)));
            }
            if (points.length() > 0) {
                sb.append("<polyline fill=\"none\" stroke=\"").append(color(c)).append("\" stroke-width=\"2.5\"")
                        .append(dash(c)).append(" points=\"").append(points.toString().trim()).append("\"/>\n");
                sb.append(dots);
            }
        }
    }

    private static String color(int i) {
        return COLORS[i % COLORS.length];
    }

    private static String dash(int i) {
        return DASHES[i % DASHES.length];
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
