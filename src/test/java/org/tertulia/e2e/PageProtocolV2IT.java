package org.tertulia.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.e2e.ScriptedSocket.id;
import static org.tertulia.e2e.ScriptedSocket.left;
import static org.tertulia.e2e.ScriptedSocket.renamed;
import static org.tertulia.e2e.ScriptedSocket.replayed;
import static org.tertulia.e2e.ScriptedSocket.said;
import static org.tertulia.e2e.ScriptedSocket.session;
import static org.tertulia.e2e.ScriptedSocket.signedIn;
import static org.tertulia.e2e.ScriptedSocket.userlist;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The page's half of protocol v2, in real Chromium, with the test playing the server
 * frame by frame ({@link ScriptedSocket}): what the page sends to resume, what it shows of
 * what comes back, and what it does after each kind of close. Needs nothing of the server
 * but the page it serves, so it runs before the server speaks v2.
 */
@BrowserTest
class PageProtocolV2IT {

    private static final Duration SOON = Duration.ofSeconds(5);

    /** Signs the page in as {@code name} on its socket number {@code socket}, with positions from {@code pos}. */
    private static void signIn(ScriptedSocket server, int socket, String name, long id, String token, long pos) {
        ChatPage page = server.page();
        server.deliver(id(id));
        page.requestName(name);
        assertThat(server.awaitSent(socket, "username"))
                .as("a first sign-in presents no token").containsEntry("name", name).doesNotContainKeys("token", "since");
        server.deliver(session(id, token, false, false));
        server.deliver(signedIn(id, name, pos));
        server.deliver(userlist(name));
        page.awaitSignedInAs(name, SOON);
    }

    @Test
    void afterADropThePageSignsInAgainWithItsTokenAndShowsOnlyWhatItHadNotSeen(Browsers browsers) {
        ScriptedSocket server = browsers.openScripted("ana");
        ChatPage ana = server.page();
        signIn(server, 1, "ana", 1, "token-1", 10);
        server.deliver(userlist("bob", "ana"));
        server.deliver(said(2, "bob", "hello", 11));
        ana.awaitMessage("bob", "hello");

        ana.recordStatus();
        server.close(1006);
        // The scripted server takes the next try at once, so the announcement may be brief.
        ana.awaitStatusTextShown("Reconnecting in \\d+ s…");
        server.awaitOpen(2);
        server.deliver(id(3));
        assertThat(server.awaitSent(2, "username"))
                .containsEntry("name", "ana").containsEntry("token", "token-1").containsEntry("since", 11L);
        server.deliver(session(1, "token-2", true, false));
        server.deliver(said(2, "bob", "hello", 11));
        server.deliver(said(2, "bob", "while away", 12));
        server.deliver(userlist("bob", "ana"));

        ana.awaitSignedInAs("ana", SOON);
        ana.awaitMessage("bob", "while away");
        assertThat(ana.count("bob", "hello")).isEqualTo(1);
        assertThat(ana.count("bob", "while away")).isEqualTo(1);
        assertThat(ana.notices()).as("no notice of its own return").containsExactly("ana signed in");
        assertThat(ana.dividers()).isEmpty();
        assertThat(ana.usersAreCurrent()).isTrue();

        // From the session frame on, the page is the session's id (1), not this socket's (3).
        server.deliver(renamed(1, "ana", "ana maria", 13));
        ana.awaitSignedInAs("ana maria", SOON);
        ana.awaitNotice("ana is now ana maria");

        // The latest token is presented next time, with the latest position.
        server.close(1001);
        server.awaitOpen(3);
        server.deliver(id(4));
        assertThat(server.awaitSent(3, "username"))
                .containsEntry("name", "ana maria").containsEntry("token", "token-2").containsEntry("since", 13L);
    }

    @Test
    void aGapTheServerCouldNotFillIsMarkedAndNoReplayedLineIsShownTwice(Browsers browsers) {
        ScriptedSocket server = browsers.openScripted("ana");
        ChatPage ana = server.page();
        signIn(server, 1, "ana", 1, "token-1", 10);
        server.deliver(said(2, "bob", "one", 11));
        server.deliver(said(2, "bob", "two", 12));
        ana.awaitMessage("bob", "two");

        server.close(1006);
        server.awaitOpen(2);
        server.deliver(id(2));
        assertThat(server.awaitSent(2, "username")).containsEntry("since", 12L);
        server.deliver(session(1, "token-2", true, true));
        server.deliver(replayed(2, "bob", "one", 11));
        server.deliver(replayed(2, "bob", "two", 12));
        server.deliver(replayed(2, "bob", "after the gap", 20));
        server.deliver(replayed(2, "bob", "latest", 21));

        ana.awaitMessage("bob", "latest");
        assertThat(ana.logLines()).containsSubsequence(
                "bob: two", "Some messages were missed", "bob: after the gap", "bob: latest");
        assertThat(ana.dividers()).containsExactly("Some messages were missed");
        assertThat(ana.count("bob", "one")).isEqualTo(1);
        assertThat(ana.count("bob", "two")).isEqualTo(1);

        // Not resumed (say the server restarted and forgot the token): an ordinary sign-in,
        // whose history overlaps what the page has.
        server.close(1012);
        server.awaitOpen(3);
        server.deliver(id(5));
        assertThat(server.awaitSent(3, "username")).containsEntry("token", "token-2").containsEntry("since", 21L);
        server.deliver(session(5, "token-3", false, false));
        server.deliver(replayed(2, "bob", "after the gap", 20));
        server.deliver(replayed(2, "bob", "latest", 21));
        server.deliver(replayed(2, "bob", "new to ana", 25));
        server.deliver(signedIn(5, "ana", 30));

        ana.awaitSignedInAs("ana", SOON);
        ana.awaitMessage("bob", "new to ana");
        for (String text : new String[] {"one", "two", "after the gap", "latest", "new to ana"}) {
            assertThat(ana.count("bob", text)).as(text).isEqualTo(1);
        }
        // The replay overlapped what the page had: nothing was missed, so no new divider.
        assertThat(ana.logLines()).containsSubsequence("bob: latest", "bob: new to ana", "ana signed in");
        assertThat(ana.dividers()).containsExactly("Some messages were missed");
    }

    @Test
    void joinsRenamesAndLeavesAreToldByTheirFramesNotByTheList(Browsers browsers) {
        ScriptedSocket server = browsers.openScripted("ana");
        ChatPage ana = server.page();
        signIn(server, 1, "ana", 1, "token-1", 10);
        server.deliver(userlist("ana", "bob", "cy"));
        ana.pickInList("bob");
        ana.awaitAddressing("bob");

        server.deliver(signedIn(5, "dan", 11));
        server.deliver(userlist("ana", "bob", "cy", "dan"));
        server.deliver(renamed(2, "bob", "bobby", 12));
        server.deliver(userlist("ana", "bobby", "cy", "dan"));
        ana.awaitAddressing("bobby");
        server.deliver(left(3, "cy", 13));
        server.deliver(userlist("ana", "bobby", "dan"));
        // A big room announces no leaves: only the list says dan is gone.
        server.deliver(userlist("ana", "bobby"));
        ana.awaitUsersWithout("dan");
        server.deliver(left(2, "bobby", 14));
        server.deliver(userlist("ana"));

        ana.awaitAddressingTheRoom();
        ana.awaitNotice("bobby left");
        assertThat(ana.notices()).containsExactly(
                "ana signed in", "dan signed in", "bob is now bobby", "cy left", "bobby left",
                "bobby is not here any more; you are writing to the room again");
    }

    @Test
    void closeCodesDecideWhetherThePageComesBackByItself(Browsers browsers) {
        ScriptedSocket server = browsers.openScripted("ana");
        ChatPage ana = server.page();
        signIn(server, 1, "ana", 1, "token-1", 10);

        // 4001: another tab resumed this session; coming back by itself would take it back.
        server.close(4001);
        ana.awaitStatus("taken-over");
        assertThat(ana.statusText()).isEqualTo("The chat continued in another tab or window");
        assertThat(ana.statusAction()).isEqualTo("Use the chat here");
        assertThat(ana.holdsThroughout(Duration.ofSeconds(2), () -> server.sockets() == 1)).as("no new socket").isTrue();
        ana.clickStatusAction();
        server.awaitOpen(2);
        server.deliver(id(6));
        assertThat(server.awaitSent(2, "username")).containsEntry("token", "token-1").containsEntry("since", 10L);
        server.deliver(session(1, "token-2", true, false));
        ana.awaitSignedInAs("ana", SOON);

        // 1000: a deliberate close; reconnecting is the person's call.
        server.close(1000);
        ana.awaitStatus("closed");
        assertThat(ana.statusAction()).isEqualTo("Reconnect");
        assertThat(ana.holdsThroughout(Duration.ofSeconds(2), () -> server.sockets() == 2)).as("no new socket").isTrue();
        ana.clickStatusAction();
        server.awaitOpen(3);
        server.deliver(id(7));
        assertThat(server.awaitSent(3, "username")).containsEntry("token", "token-2");
        server.deliver(session(1, "token-3", true, false));
        ana.awaitSignedInAs("ana", SOON);

        // 1003: the server could not take what this page sent; trying again would repeat it.
        server.close(1003);
        ana.awaitStatus("error");
        assertThat(ana.statusAction()).isEqualTo("Reconnect");
        assertThat(ana.holdsThroughout(Duration.ofSeconds(2), () -> server.sockets() == 3)).as("no new socket").isTrue();
    }

    @Test
    void thePageBacksOffAndTriesAtOnceWhenTheNetworkTheTabOrThePersonSaySo(Browsers browsers) {
        ScriptedSocket server = browsers.openScripted("lurker");
        ChatPage page = server.page();
        server.pinRandom(0.999); // each wait is then its ceiling: 0.5 s, 1 s, 2 s, 4 s, 8 s…

        // Offline: no tries until the network is back, then one at once.
        page.networkOnline(false);
        server.close(1006);
        page.awaitStatus("offline");
        assertThat(page.statusText()).isEqualTo("Offline: waiting for the network");
        assertThat(page.holdsThroughout(Duration.ofSeconds(2), () -> server.sockets() == 1)).as("no tries offline").isTrue();
        page.networkOnline(true);
        server.awaitOpen(2);

        // Refused again and again, the page waits longer each time.
        server.refuse(true);
        server.close(1006);
        server.awaitSockets(5, Duration.ofSeconds(10)); // three tries refused, 0.5, 1 and 2 s apart
        page.awaitStatusText("Reconnecting in 4 s…");
        assertThat(page.statusAction()).isEqualTo("Retry now");
        // The tab coming into view tries at once, not in the 3 s or more still to wait.
        server.refuse(false);
        page.script("document.dispatchEvent(new Event('visibilitychange'))");
        server.awaitSockets(6, Duration.ofMillis(2500));
        server.awaitOpen(6);

        // Retry now, while the countdown (8 s) runs.
        server.close(1006);
        page.awaitStatusText("Reconnecting in 8 s…");
        page.awaitStatusText("Reconnecting in 7 s…");
        page.clickStatusAction();
        server.awaitSockets(7, Duration.ofMillis(2500));
        server.awaitOpen(7);
        page.awaitStatus("connected");
    }

    @Test
    void aReloadedTabSignsInAgainWithTheSessionItKeptForItself(Browsers browsers) {
        ScriptedSocket server = browsers.openScripted("ana");
        ChatPage ana = server.page();
        signIn(server, 1, "ana", 1, "token-1", 10);

        ana.reload();
        server.deliver(id(8));

        // A fresh page has shown nothing: it asks from the start, and has no gap to mark.
        assertThat(server.awaitSent(1, "username"))
                .containsEntry("name", "ana").containsEntry("token", "token-1").containsEntry("since", 0L);
        server.deliver(session(1, "token-2", true, true));
        server.deliver(replayed(2, "bob", "earlier", 9));
        ana.awaitSignedInAs("ana", SOON);
        ana.awaitMessage("bob", "earlier");
        assertThat(ana.dividers()).containsExactly("Earlier messages");
    }
}
