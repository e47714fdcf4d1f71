package org.tertulia.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.tertulia.support.ServerUnderTest;

/**
 * The two-node deployment of {@code deploy/docker-compose.yml} (Redis, two nodes, nginx), in
 * real Chromium through nginx: two browsers land on different nodes and chat; the node of one
 * is killed; that user comes back by itself through the other node, under the same name, and
 * the two chat on.
 *
 * <p>{@code script/compose-smoke} starts the deployment and runs this class with
 * {@code -Dit.test=ComposeClusterSmoke -Dtertulia.it.base-url=<nginx> -Dtertulia.it.compose.hook=<script>}.
 * The name ends in neither {@code IT} nor {@code Test}, so a plain {@code ./mvnw verify}
 * neither runs nor skips it; run without those properties it fails, saying what it needs.
 *
 * <p>What only the deployment knows is asked of the script through the hook, which it answers
 * with exit code 0 or a message: {@code first} (which node holds the first browser's socket,
 * from the nodes' {@code tertulia_connections_open}), {@code second} (the second browser is
 * on the other node), {@code kill} ({@code docker kill} of the first browser's node) and
 * {@code recovered} (the surviving node now holds both sockets).
 */
@Tag("e2e")
@ExtendWith(BrowserExtension.class)
class ComposeClusterSmoke {

    static final String HOOK_PROPERTY = "tertulia.it.compose.hook";

    /** How soon a page whose node died must be connected and signed in again by itself. */
    static final Duration BACK_WITHIN = Duration.ofSeconds(20);

    private static final Duration HOOK_TIMEOUT = Duration.ofSeconds(90);

    private final String run = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());

    @BeforeAll
    static void requireTheDeployment() {
        if (!ChatServerExtension.isExternal() || hook().isEmpty()) {
            fail("ComposeClusterSmoke drives the deployment in deploy/ and needs -D"
                    + ServerUnderTest.BASE_URL_PROPERTY + "=<nginx URL> and -D" + HOOK_PROPERTY
                    + "=<script/compose-smoke>; run script/compose-smoke rather than this class alone.");
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void browsersOnTwoNodesChatAndOneComesBackThroughTheOtherNodeWhenItsNodeDies(Browsers browsers) {
        ChatPage ana = browsers.open("ana");
        String anaName = ana.signIn("ana-" + run);
        hook("first");
        ChatPage ben = browsers.open("ben");
        String benName = ben.signIn("ben-" + run);
        hook("second");

        ana.awaitUsersIncluding(anaName, benName);
        ben.awaitUsersIncluding(anaName, benName);
        ana.sayWithEnter("hello from ana's node");
        assertThat(ben.awaitMessage(anaName, "hello from ana's node").mine()).isFalse();
        ben.sayWithButton("hello from ben's node");
        assertThat(ana.awaitMessage(benName, "hello from ben's node").mine()).isFalse();

        ana.recordStatus();
        ben.recordStatus();
        hook("kill");

        awaitBackByItself(ana, anaName);
        ben.awaitUsersIncluding(anaName, benName);
        ana.sayWithEnter("ana again, through the other node");
        assertThat(ben.awaitMessage(anaName, "ana again, through the other node").mine()).isFalse();
        ben.sayWithButton("ben still here");
        assertThat(ana.awaitMessage(benName, "ben still here").mine()).isFalse();
        assertThat(statesSeen(ben)).as("ben's status since ana's node was killed (his node kept running)")
                .containsOnly("connected");
        hook("recovered");
    }

    private static List<String> statesSeen(ChatPage page) {
        List<String> seen = page.statesShown(); // none when the page was loaded again (which counts as leaving)
        return seen != null ? seen : List.of("(page reloaded)");
    }

    /** The page noticed its socket was lost, then connected and signed in again, by itself. */
    private static void awaitBackByItself(ChatPage page, String name) {
        WebDriverWait wait = new WebDriverWait(page.browser().driver(), BACK_WITHIN, Duration.ofMillis(100));
        try {
            wait.until(d -> {
                List<String> seen = statesSeen(page);
                return seen.stream().anyMatch(s -> !s.equals("connected"))
                        && "connected".equals(page.statusState())
                        && name.equals(page.element("me").getDomAttribute("data-name"));
            });
        } catch (TimeoutException e) {
            List<String> seen = statesSeen(page);
            boolean dropped = seen.stream().anyMatch(s -> !s.equals("connected"));
            boolean button = page.element("reconnect").isDisplayed();
            fail("After its node was killed, " + name + "'s page was not back by itself within "
                    + BACK_WITHIN.toSeconds() + " s: expected status 'Connected' and signed in as " + name
                    + " again (automatic reconnect with a resume token, protocol v2). Status now '"
                    + page.statusState() + "' (\"" + page.statusText() + "\"), states seen since the kill " + seen
                    + ", signed in as " + page.element("me").getDomAttribute("data-name") + "."
                    + (dropped ? "" : " The page never left 'connected': did the node die, was the socket on it?")
                    + (button ? " The page shows its Reconnect button: it does not reconnect by itself." : ""));
        }
        assertThat(page.statusText()).isEqualTo("Connected");
        assertThat(page.me()).isEqualTo("You are " + name);
    }

    private static String hook() {
        return System.getProperty(HOOK_PROPERTY, "").strip();
    }

    /** Runs {@code <hook> hook <event>}; fails the test with the hook's output when it fails. */
    private static void hook(String event) {
        try {
            Path log = Files.createTempFile("compose-hook-", ".log");
            try {
                Process process = new ProcessBuilder(hook(), "hook", event)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                boolean done = process.waitFor(HOOK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (!done) {
                    process.destroyForcibly();
                }
                String output = Files.readString(log, StandardCharsets.UTF_8).strip();
                System.out.println("hook " + event + ": " + output);
                if (!done) {
                    fail("hook " + event + " did not finish within " + HOOK_TIMEOUT.toSeconds() + " s: " + output);
                }
                if (process.exitValue() != 0) {
                    fail("hook " + event + " failed (exit " + process.exitValue() + "): " + output);
                }
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            fail("cannot run hook " + event + " (" + hook() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while running hook " + event, e);
        }
    }
}
