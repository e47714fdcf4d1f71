package org.tertulia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tertulia.cluster.ClusterNodes;
import org.tertulia.cluster.RedisServer;

/**
 * Two people on two nodes of a cluster, in real Chromium: a browser on node A and a browser
 * on node B see each other listed and chat both ways, through a real redis-server; and a
 * page cut off from its node comes back through the other one as the same person.
 */
@Tag("e2e")
class ClusterBrowserIT {

    @Test
    void browsersOnTwoNodesSeeEachOtherAndChatBothWays() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        List<ChatPage> pages = new ArrayList<>();
        try (RedisServer redis = RedisServer.start();
             ClusterNodes.InJvm nodeA = ClusterNodes.start(redis);
             ClusterNodes.InJvm nodeB = ClusterNodes.start(redis);
             Browser browserA = Browser.start("node-a", Browsers.DESKTOP);
             Browser browserB = Browser.start("node-b", Browsers.DESKTOP)) {
            assertThat(nodeA.server().http()).isNotEqualTo(nodeB.server().http());
            ChatPage ana = new ChatPage(browserA);
            ChatPage ben = new ChatPage(browserB);
            pages.add(ana);
            pages.add(ben);
            try {
                ana.load(nodeA.server().http());
                ben.load(nodeB.server().http());
                String anaName = ana.signIn("ana-" + suffix);
                String benName = ben.signIn("ben-" + suffix);

                ana.awaitUsersIncluding(anaName, benName);
                ben.awaitUsersIncluding(anaName, benName);

                ana.sayWithEnter("hello from node A");
                assertThat(ben.awaitMessage(anaName, "hello from node A").mine()).isFalse();
                ben.sayWithButton("hello from node B");
                assertThat(ana.awaitMessage(benName, "hello from node B").mine()).isFalse();
                assertThat(ana.awaitMessage(anaName, "hello from node A").mine()).isTrue();
            } catch (AssertionError | RuntimeException e) {
                BrowserExtension.keepEvidence(pages, "ClusterBrowserIT.browsersOnTwoNodesSeeEachOtherAndChatBothWays");
                throw e;
            }
        }
    }

    @Test
    void aPageCutOffFromItsNodeComesBackThroughTheOtherNodeAsTheSamePerson() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        List<ChatPage> pages = new ArrayList<>();
        try (RedisServer redis = RedisServer.start();
             ClusterNodes.InJvm nodeA = ClusterNodes.start(redis);
             ClusterNodes.InJvm nodeB = ClusterNodes.start(redis);
             TcpProxy balancer = TcpProxy.to(nodeA.server().http());
             Browser browserA = Browser.start("via-a", Browsers.DESKTOP);
             Browser browserB = Browser.start("on-b", Browsers.DESKTOP)) {
            ChatPage ana = new ChatPage(browserA);
            ChatPage ben = new ChatPage(browserB);
            pages.add(ana);
            pages.add(ben);
            try {
                ana.load(balancer.http());
                ben.load(nodeB.server().http());
                String benName = ben.signIn("ben-" + suffix);
                String anaName = ana.signIn("ana-" + suffix);
                ana.awaitUsersIncluding(anaName, benName);
                ben.awaitUsersIncluding(anaName, benName);
                ana.sayWithEnter("before, through node A");
                ben.awaitMessage(anaName, "before, through node A");

                // Ana's network drops; node A does not notice (its socket stays open, silent), and
                // when ana's page comes back the balancer sends it to node B.
                balancer.refuseNewConnections();
                balancer.cutClientSide();
                ana.awaitStatusText("Reconnecting in \\d+ s…");
                balancer.forwardTo(nodeB.server().http());
                List<String> meanwhile = List.of("one " + suffix, "two " + suffix, "three " + suffix);
                for (String line : meanwhile) {
                    ben.sayWithEnter(line);
                    ben.awaitMessage(benName, line);
                }
                balancer.acceptNewConnections();

                ana.awaitSignedInAs(anaName, ana.backWithin(Duration.ofSeconds(20)));
                for (String line : meanwhile) {
                    ana.awaitMessage(benName, line);
                    assertThat(ana.count(benName, line)).as("shown once: " + line).isEqualTo(1);
                }
                assertThat(ana.count(anaName, "before, through node A")).isEqualTo(1);
                ana.sayWithEnter("after, through node B");
                ben.awaitMessage(anaName, "after, through node B");
                for (ChatPage page : pages) {
                    assertThat(page.users()).contains(anaName, benName).doesNotContain(anaName + "2");
                }
                assertThat(ben.notices()).as("ben saw ana neither leave nor come back")
                        .doesNotContain(anaName + " left")
                        .filteredOn((anaName + " signed in")::equals).hasSize(1);
            } catch (AssertionError | RuntimeException e) {
                BrowserExtension.keepEvidence(pages, "ClusterBrowserIT.aPageCutOffFromItsNodeComesBackThroughTheOtherNode");
                throw e;
            }
        }
    }
}
