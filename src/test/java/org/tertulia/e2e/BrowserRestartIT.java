package org.tertulia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tertulia.support.ForkedServer;

/**
 * A server restarted under its pages, as a deploy does it: SIGTERM, then a new process on
 * the same port. Every page comes back by itself, signed in under the name it had (the new
 * server knows no token, so each signs in afresh), and the chat goes on.
 */
@Tag("e2e")
class BrowserRestartIT {

    @Test
    void afterARestartEveryPageComesBackByItselfUnderItsName() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        int port = ForkedServer.freePort();
        List<ChatPage> pages = new ArrayList<>();
        try (Browser browserA = Browser.start("restart-a", Browsers.DESKTOP);
             Browser browserB = Browser.start("restart-b", Browsers.DESKTOP)) {
            ChatPage ana = new ChatPage(browserA);
            ChatPage ben = new ChatPage(browserB);
            pages.add(ana);
            pages.add(ben);
            try {
                String anaName;
                String benName;
                try (ForkedServer first = ForkedServer.start(port)) {
                    ana.load(first.server().http());
                    ben.load(first.server().http());
                    anaName = ana.signIn("ana-" + suffix);
                    benName = ben.signIn("ben-" + suffix);
                    ana.awaitUsersIncluding(anaName, benName);
                    ana.sayWithEnter("before the restart");
                    ben.awaitMessage(anaName, "before the restart");

                    assertThat(first.terminate(Duration.ofSeconds(30))).as("the server stopped on SIGTERM").isTrue();
                }
                for (ChatPage page : pages) {
                    page.awaitStatusText("Reconnecting in \\d+ s…");
                }
                try (ForkedServer second = ForkedServer.start(port)) {
                    ana.awaitSignedInAs(anaName, Duration.ofSeconds(45));
                    ben.awaitSignedInAs(benName, Duration.ofSeconds(45));
                    ana.awaitUsersIncluding(anaName, benName);
                    ben.sayWithEnter("after the restart");
                    ana.awaitMessage(benName, "after the restart");
                    assertThat(ana.count(anaName, "before the restart")).isEqualTo(1);
                }
            } catch (AssertionError | RuntimeException e) {
                BrowserExtension.keepEvidence(pages, "BrowserRestartIT.afterARestartEveryPageComesBackByItselfUnderItsName");
                throw e;
            }
        }
    }
}
