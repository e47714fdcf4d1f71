package org.tertulia.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What Linux's /proc says about a process (CPU time, memory) and about the TCP stack. */
final class Proc {

    private static long clockTicks = -1;

    private Proc() {
    }

    /** Clock ticks per second of /proc/PID/stat times ({@code getconf CLK_TCK}, nearly always 100). */
    static synchronized long clockTicks() {
        if (clockTicks < 0) {
            clockTicks = 100;
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    clockTicks = Long.parseLong(out);
                }
            } catch (IOException | NumberFormatException e) {
                // keep 100
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return clockTicks;
    }

    /** utime + stime of a process in microseconds, or -1 when it cannot be read. {@code pid} "self" works. */
    static long cpuMicros(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII);
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // f[0] is field 3 (state); utime is field 14, stime field 15.
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1_000_000L / clockTicks();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** stime alone (kernel time) in microseconds, or -1. */
    static long systemMicros(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Long.parseLong(f[12]) * 1_000_000L / clockTicks();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Write-type system calls the process made so far (syscw of /proc/PID/io: write, writev
     * and friends; sockets written with either count), or -1 when not readable.
     */
    static long writeCalls(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "io"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("syscw:")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /** VmRSS of a process in KiB, or -1. */
    static long rssKb(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /**
     * TcpExt ListenOverflows + ListenDrops from /proc/net/netstat: SYNs or handshakes a
     * listener dropped because its accept queue was full (then the client retries after ~1 s).
     */
    static long listenDrops() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"), StandardCharsets.US_ASCII);
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
                    String[] names = lines.get(i).split("\\s+");
                    String[] values = lines.get(i + 1).split("\\s+");
                    long total = 0;
                    for (int k = 1; k < names.length && k < values.length; k++) {
                        if (names[k].equals("ListenOverflows") || names[k].equals("ListenDrops")) {
                            total += Long.parseLong(values[k]);
                        }
                    }
                    return total;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /** Runs a shell command (e.g. "jcmd 123 GC.run"), bounded in time; output discarded. */
    static void run(String command, long timeoutSeconds) {
        if (command == null || command.isBlank()) {
            return;
        }
        try {
            Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            System.err.println("command failed: " + command + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
