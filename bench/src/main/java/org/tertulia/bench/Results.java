package org.tertulia.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one run as ordered {@code key=value} lines, saved after every phase so that
 * a run cut short (timeout, crash) still leaves what it measured.
 */
final class Results {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Path file;
    private final String label;
    private final long startNanos = System.nanoTime();

    Results(Path file, String label) {
        this.file = file;
        this.label = label;
    }

    Path file() {
        return file;
    }

    void put(String key, Object value) {
        values.put(key, String.valueOf(value).replace('\n', ' '));
    }

    void save() throws IOException {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /** A progress line, stamped with the seconds since the run started (to see where a run's time goes). */
    void log(String line) {
        System.out.println(String.format(Locale.ROOT, "[%s %5.1fs] ", label, (System.nanoTime() - startNanos) / 1e9) + line);
        System.out.flush();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
