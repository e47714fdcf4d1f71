package org.tertulia.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --key value} / {@code --key=value} / {@code --flag} command-line options. */
final class Options {

    private final Map<String, String> values = new HashMap<>();

    Options(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                values.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(a.substring(2), args[++i]);
            } else {
                values.put(a.substring(2), "true");
            }
        }
    }

    String string(String key, String absent) {
        return values.getOrDefault(key, absent);
    }

    int integer(String key, int absent) {
        String v = values.get(key);
        return v == null ? absent : Integer.parseInt(v.replace("_", ""));
    }

    long longValue(String key, long absent) {
        String v = values.get(key);
        return v == null ? absent : Long.parseLong(v.replace("_", ""));
    }

    boolean flag(String key, boolean absent) {
        String v = values.get(key);
        return v == null ? absent : !v.equals("false") && !v.equals("no") && !v.equals("0");
    }

    /** A comma-separated list of counts; empty or "none" is an empty list. */
    List<Integer> counts(String key, String absent) {
        String v = values.getOrDefault(key, absent).trim();
        List<Integer> out = new ArrayList<>();
        if (v.isEmpty() || v.equals("none") || v.equals("0")) {
            return out;
        }
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                out.add(Integer.parseInt(part.trim().replace("_", "")));
            }
        }
        out.sort(Integer::compare);
        return out;
    }
}
