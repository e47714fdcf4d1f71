package org.tertulia.bench;

import java.util.Map;
import java.util.TreeSet;

/**
 * The raw figures for other tools: results.csv (one line per run and figure) and
 * results.json (the meta data, every run's figures, and the medians, ranges and ratios the
 * table shows, for every numeric figure).
 */
final class RawOutput {

    private final RunSet runs;
    private final Map<String, String> meta;

    RawOutput(RunSet runs, Map<String, String> meta) {
        this.runs = runs;
        this.meta = meta;
    }

    String csv() {
        StringBuilder sb = new StringBuilder("column,round,key,value\n");
        for (RunSet.Run run : runs.runs()) {
            run.values().forEach((k, v) -> sb.append(run.column()).append(',').append(run.round()).append(',')
                    .append(csvField(k)).append(',').append(csvField(v)).append('\n'));
        }
        return sb.toString();
    }

    String json() {
        StringBuilder sb = new StringBuilder("{\n  \"meta\": ");
        object(sb, meta, "  ");
        sb.append(",\n  \"runs\": [");
        boolean first = true;
        for (RunSet.Run run : runs.runs()) {
            sb.append(first ? "\n" : ",\n");
            first = false;
            sb.append("    {\"column\": ").append(quote(run.column())).append(", \"round\": ").append(run.round())
                    .append(", \"figures\": ");
            object(sb, run.values(), "      ");
            sb.append('}');
        }
        sb.append("\n  ],\n  \"summary\": {");
        first = true;
        for (String column : runs.columns()) {
            for (String key : numericKeys()) {
                first = stats(sb, first, "column", column, key, Stats.of(runs.values(column, key)));
            }
        }
        for (Table.Ratio r : Table.ratios(runs)) {
            for (String key : numericKeys()) {
                first = stats(sb, first, "ratio", r.header(), key, Stats.of(runs.ratios(r.numerator(), r.denominator(), key)));
            }
        }
        sb.append("\n  }\n}\n");
        return sb.toString();
    }

    /** One summary entry, keyed "column|key" or "ratio|key"; returns whether nothing has been written yet. */
    private static boolean stats(StringBuilder sb, boolean first, String kind, String who, String key, Stats s) {
        if (s == null) {
            return first;
        }
        sb.append(first ? "\n" : ",\n").append("    ").append(quote(who + "|" + key)).append(": {\"").append(kind)
                .append("\": ").append(quote(who)).append(", \"key\": ").append(quote(key))
                .append(", \"median\": ").append(num(s.median())).append(", \"min\": ").append(num(s.min()))
                .append(", \"max\": ").append(num(s.max())).append(", \"n\": ").append(s.n()).append('}');
        return false;
    }

    private TreeSet<String> numericKeys() {
        TreeSet<String> keys = new TreeSet<>();
        for (RunSet.Run run : runs.runs()) {
            run.values().forEach((k, v) -> {
                if (isNumber(v) && !k.equals("round") && !k.equals("position") && !k.endsWith("pid")) {
                    keys.add(k);
                }
            });
        }
        return keys;
    }

    private static void object(StringBuilder sb, Map<String, String> m, String indent) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : m.entrySet()) {
            sb.append(first ? "\n" : ",\n").append(indent).append("  ").append(quote(e.getKey())).append(": ");
            first = false;
            sb.append(isNumber(e.getValue()) ? e.getValue() : quote(e.getValue()));
        }
        sb.append('\n').append(indent).append('}');
    }

    private static boolean isNumber(String v) {
        return v.matches("-?[0-9]+(\\.[0-9]+)?");
    }

    /** Java's shortest exact form (e.g. 1.25, 562957.0, 1.0E7) is valid JSON. */
    private static String num(double v) {
        return Double.toString(v);
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

    private static String csvField(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
