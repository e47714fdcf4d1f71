package org.tertulia.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every run of one invocation: R rounds, in each one run per column (ours, the peer, our
 * variants, the cluster). A run is one {@code key=value} file written by {@code run}; its
 * {@code column} and {@code round} keys place it.
 */
final class RunSet {

    record Run(String column, int round, Map<String, String> values) {
    }

    private final List<Run> runs;
    private final List<String> columns;
    private final int rounds;

    RunSet(List<Run> runs, List<String> columnOrder) {
        this.runs = List.copyOf(runs);
        List<String> cols = new ArrayList<>();
        for (String c : columnOrder) {
            if (runs.stream().anyMatch(r -> r.column.equals(c))) {
                cols.add(c);
            }
        }
        for (Run r : runs) {
            if (!cols.contains(r.column)) {
                cols.add(r.column);
            }
        }
        this.columns = List.copyOf(cols);
        this.rounds = runs.stream().mapToInt(Run::round).max().orElse(0);
    }

    /** The runs in {@code dir} (every *.properties file), columns ordered as {@code columnOrder} says first. */
    static RunSet load(Path dir, List<String> columnOrder) throws IOException {
        List<Run> runs = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.toString().endsWith(".properties")).sorted().toList();
            }
            for (Path file : files) {
                Map<String, String> values = properties(file);
                String column = values.getOrDefault("column", values.getOrDefault("label", file.getFileName().toString()));
                runs.add(new Run(column, Integer.parseInt(values.getOrDefault("round", "1")), values));
            }
        }
        return new RunSet(runs, columnOrder);
    }

    /** A {@code key=value} file in its own order (Properties would lose it); empty when absent. */
    static Map<String, String> properties(Path file) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return map;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                map.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return map;
    }

    List<Run> runs() {
        return runs;
    }

    List<String> columns() {
        return columns;
    }

    int rounds() {
        return rounds;
    }

    boolean has(String column) {
        return columns.contains(column);
    }

    int runsOf(String column) {
        return (int) runs.stream().filter(r -> r.column.equals(column)).count();
    }

    /** The figure in the run of {@code column} in {@code round}, or null. */
    Double value(String column, int round, String key) {
        for (Run r : runs) {
            if (r.column.equals(column) && r.round == round) {
                return number(r.values.get(key));
            }
        }
        return null;
    }

    /** The figure of every run of {@code column} that has it, in round order. */
    List<Double> values(String column, String key) {
        List<Double> out = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Double v = value(column, round, key);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** a / b within each round where both have the figure (and b is not 0). */
    List<Double> ratios(String a, String b, String key) {
        List<Double> out = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Double x = value(a, round, key);
            Double y = value(b, round, key);
            if (x != null && y != null && y != 0) {
                out.add(x / y);
            }
        }
        return out;
    }

    /** A text value of the first run of {@code column} that has it, or the fallback. */
    String text(String column, String key, String fallback) {
        for (Run r : runs) {
            if (r.column.equals(column) && r.values.containsKey(key)) {
                return r.values.get(key);
            }
        }
        return fallback;
    }

    /** The numbers that follow {@code prefix} in keys of the form prefix + number + ".", in any run. */
    List<Integer> sizes(String prefix) {
        TreeSet<Integer> set = new TreeSet<>();
        for (Run r : runs) {
            for (String k : r.values.keySet()) {
                if (k.startsWith(prefix)) {
                    String rest = k.substring(prefix.length());
                    int dot = rest.indexOf('.');
                    if (dot > 0 && rest.substring(0, dot).chars().allMatch(Character::isDigit)) {
                        set.add(Integer.parseInt(rest.substring(0, dot)));
                    }
                }
            }
        }
        return new ArrayList<>(set);
    }

    static Double number(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
