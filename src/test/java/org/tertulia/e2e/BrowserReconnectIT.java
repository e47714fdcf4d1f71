package org.tertulia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.tertulia.support.ServerUnderTest;

/**
 * The page losing its connection and coming back by itself, in real Chromium. The page is
 * loaded through a {@link TcpProxy}, so a test can cut its socket the way a network or a
 * server would, and keep it from coming back until the test has set the scene.
 */
@BrowserTest
class BrowserReconnectIT {

    /**
     * "About 10 s" from the brief, from the page's next try (see {@link ChatPage#backWithin}):
     * generous for 2 shared cores, far below a person's patience.
     */
    private static final Duration COMES_BACK_WITHIN = Duration.ofSeconds(10);

    private final String run = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());

    private String unique(String base) {
        return base + "-" + run;
    }

    @Test
    void whenTheServerDropsTheSocketThePageComesBackByItselfUnderTheSameName(ServerUnderTest server, Browsers browsers) {
        try (TcpProxy proxy = TcpProxy.to(server.http())) {
            ChatPage ana = browsers.open("ana", proxy.http());
            ChatPage bob = browsers.open("bob");
            String anaName = ana.signIn(unique("ana"));
            String bobName = bob.signIn(unique("bob"));
            bob.awaitUsersIncluding(anaName, bobName);
            String before = "said before the drop " + run;
            bob.sayWithEnter(before);
            ana.awaitMessage(bobName, before);

            // The server sees the connection close (its end is really closed): the name is free.
            proxy.refuseNewConnections();
            proxy.cutBothSides();

            ana.awaitStatusText("Reconnecting in \\d+ s…");
            ana.await().withMessage("a Retry now button").until(d -> "Retry now".equals(ana.statusAction()));
            ana.await().withMessage("the page trying again by itself").until(d -> proxy.refusedCount() >= 2);
            proxy.acceptNewConnections();

            ana.awaitSignedInAs(anaName, ana.backWithin(COMES_BACK_WITHIN));
            bob.awaitUsersIncluding(anaName, bobName);
            String after = "back again " + run;
            ana.sayWithEnter(after);
            bob.awaitMessage(anaName, after);
            assertThat(ana.count(bobName, before)).as("the history replayed after signing in again adds no copy")
                    .isEqualTo(1);
            assertThat(ana.users()).doesNotContain(anaName + "2");
        }
    }

    @Test
    void aPageThatNeverSignedInComesBackAndWaitsForItsPerson(ServerUnderTest server, Browsers browsers) {
        try (TcpProxy proxy = TcpProxy.to(server.http())) {
            ChatPage page = browsers.open("lurker", proxy.http());

            proxy.refuseNewConnections();
            proxy.cutBothSides();
            page.awaitStatusText("Reconnecting in \\d+ s…");
            proxy.acceptNewConnections();

            page.await().withMessage("connected again").until(d -> "connected".equals(page.statusState()));
            assertThat(page.me()).isEqualTo("Not signed in");
            String name = page.signIn(unique("late"));
            assertThat(name).isEqualTo(unique("late"));
        }
    }

    /** Needs the server side of protocol v2: resume tokens, positions, catch-up. */
    @Test
    void aPageCutOffUnnoticedResumesUnderItsNameAndShowsWhatItMissedExactlyOnce(ServerUnderTest server,
            Browsers browsers) {
        try (TcpProxy proxy = TcpProxy.to(server.http())) {
            ChatPage ana = browsers.open("ana", proxy.http());
            ChatPage bob = browsers.open("bob");
            // Bob first, so that he sees ana sign in: once, and never again after the cut.
            String bobName = bob.signIn(unique("bob"));
            String anaName = ana.signIn(unique("ana"));
            ana.awaitUsersIncluding(anaName, bobName);
            bob.awaitUsersIncluding(anaName, bobName);
            String bobBefore = "bob before the cut " + run;
            String anaBefore = "ana before the cut " + run;
            bob.sayWithEnter(bobBefore);
            ana.awaitMessage(bobName, bobBefore);
            ana.sayWithEnter(anaBefore);
            bob.awaitMessage(anaName, anaBefore);
            ana.awaitMessage(anaName, anaBefore);

            // As when a phone loses its network: the page sees the drop, the server does not,
            // and still holds the name for the old connection.
            proxy.refuseNewConnections();
            proxy.cutClientSide();
            ana.awaitStatusText("Reconnecting in \\d+ s…");
            List<String> meanwhile = List.of("one " + run, "two " + run, "three " + run);
            for (String line : meanwhile) {
                bob.sayWithEnter(line);
                bob.awaitMessage(bobName, line);
            }
            proxy.acceptNewConnections();

            ana.awaitSignedInAs(anaName, ana.backWithin(COMES_BACK_WITHIN));
            for (String line : meanwhile) {
                ana.awaitMessage(bobName, line);
            }
            ana.await().withMessage("a current user list").until(d -> ana.usersAreCurrent());
            assertThat(ana.logLines()).containsSubsequence(
                    bobName + ": " + bobBefore, anaName + ": " + anaBefore,
                    bobName + ": " + meanwhile.get(0), bobName + ": " + meanwhile.get(1), bobName + ": " + meanwhile.get(2));
            for (String line : meanwhile) {
                assertThat(ana.count(bobName, line)).as("shown once: " + line).isEqualTo(1);
            }
            assertThat(ana.count(bobName, bobBefore)).as("not repeated: " + bobBefore).isEqualTo(1);
            assertThat(ana.count(anaName, anaBefore)).as("not repeated: " + anaBefore).isEqualTo(1);
            assertThat(ana.dividers()).as("nothing was missed").doesNotContain("Some messages were missed");

            String after = "ana after the cut " + run;
            ana.sayWithEnter(after);
            bob.awaitMessage(anaName, after);
            for (ChatPage page : new ChatPage[] {ana, bob}) {
                assertThat(page.users()).contains(anaName, bobName).doesNotContain(anaName + "2");
                assertThat(String.join("\n", page.logLines())).doesNotContain(anaName + "2");
            }
            assertThat(bob.notices()).as("bob saw ana neither leave nor come back")
                    .doesNotContain(anaName + " left")
                    .filteredOn((anaName + " signed in")::equals).hasSize(1);
        }
    }

    /**
     * Needs the server side of protocol v2. A duplicated tab carries this tab's session
     * storage, token included; it resumes the session, and this tab is closed with 4001.
     */
    @Test
    void anotherTabResumingTheSessionStopsThisOneWhichCanTakeItBack(Browsers browsers) {
        ChatPage first = browsers.open("first");
        String name = first.signIn(unique("ana"));
        first.awaitUsersIncluding(name);

        ChatPage second = browsers.open("second");
        second.duplicateTabOf(first);

        second.awaitSignedInAs(name, COMES_BACK_WITHIN);
        first.awaitStatus("taken-over");
        assertThat(first.statusText()).isEqualTo("The chat continued in another tab or window");
        assertThat(first.statusAction()).isEqualTo("Use the chat here");
        assertThat(first.holdsThroughout(Duration.ofSeconds(3), () -> "taken-over".equals(first.statusState())))
                .as("no automatic reconnect after 4001: the two tabs would take the session from each other")
                .isTrue();

        first.clickStatusAction();

        first.awaitSignedInAs(name, COMES_BACK_WITHIN);
        second.awaitStatus("taken-over");
        first.awaitUsersIncluding(name);
        assertThat(first.users()).doesNotContain(name + "2");
        assertThat(String.join("\n", first.logLines())).doesNotContain(name + "2");
    }
}
