package org.tertulia.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.tertulia.support.ChatClient;
import org.tertulia.support.ServerUnderTest;

import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatEndpointTest {

    @LocalServerPort
    int port;

    @Test
    void twoUsersSignInAndChat() {
        ServerUnderTest server = ServerUnderTest.onPort(port);
        try (ChatClient alice = ChatClient.signedIn(server.chat(), "alice");
             ChatClient bob = ChatClient.signedIn(server.chat(), "bob")) {
            assertThat(alice.subprotocol()).isEqualTo("json");
            alice.awaitUserlist(List.of("alice", "bob"));
            bob.awaitUserlist(List.of("alice", "bob"));
            alice.say("hello <b>bob</b>, 1 < 2");
            JsonNode heard = bob.next("message");
            assertThat(heard.path("name").asString()).isEqualTo("alice");
            assertThat(heard.path("text").asString()).isEqualTo("hello bob, 1 < 2");
            assertThat(heard.path("id").asLong()).isEqualTo(alice.id());
        }
    }
}
