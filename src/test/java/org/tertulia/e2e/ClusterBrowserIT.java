package org.tertulia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tertulia.cluster.ClusterNodes;
import org.tertulia.cluster.RedisServer;

/**
 * Two people on two nodes of a cluster, in real Chromium: a browser on node A and a browser
 * on node B see each other listed and chat both ways, through a real redis-server.
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
}
