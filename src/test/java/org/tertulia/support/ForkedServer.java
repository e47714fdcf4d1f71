package org.tertulia.support;

import static org.tertulia.support.Eventually.within;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.tertulia.TertuliaApplication;

/**
 * This build's server in a JVM of its own, on a port of the test's choosing: a test can
 * send it SIGTERM as an orchestrator does, or kill it like a crash, and start another.
 */
public final class ForkedServer implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final ServerUnderTest server;

    private ForkedServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.server = ServerUnderTest.onPort(port);
    }

    /** Starts the server on {@code port} with these extra arguments, and waits until it says it started. */
    public static ForkedServer start(int port, String... args) throws IOException {
        Path log = Files.createTempFile("tertulia-forked-", ".log");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", classpath, TertuliaApplication.class.getName(),
                "--server.port=" + port));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ForkedServer forked = new ForkedServer(process, log, port);
        within("the forked server to start", Duration.ofSeconds(90))
                .until(() -> !process.isAlive() || forked.log().contains("Started TertuliaApplication"));
        if (!process.isAlive()) {
            throw new AssertionError("the forked server exited with " + process.exitValue() + ":\n" + forked.log());
        }
        return forked;
    }

    /** A port nothing listens on just now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public ServerUnderTest server() {
        return server;
    }

    public Process process() {
        return process;
    }

    /** What the server printed so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** SIGTERM, as {@code docker stop} or an orchestrator sends it; true when the process ended within {@code wait}. */
    public boolean terminate(Duration wait) throws InterruptedException {
        process.destroy();
        return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills the server like a crash: no shutdown hook, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
