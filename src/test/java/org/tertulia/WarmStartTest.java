package org.tertulia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.tertulia.support.ChatClient;
import org.tertulia.support.Http;
import org.tertulia.support.RawWebSocket;
import org.tertulia.support.SelfSignedCertificate;
import org.tertulia.support.ServerUnderTest;
import org.tertulia.web.RehearsalEndpoint;

/**
 * The warm start over the wire: its crowds go through a real handshake and sign-in on the
 * node's own port before the node says it is ready, and leave no trace the node's users or
 * its operator could see: not in the room, not in the ids, not in the metrics; and its
 * endpoint is shut once it is over. A warm start that cannot complete leaves a node that
 * starts, cold.
 */
class WarmStartTest {

    /** Whether the warm start had completed when the node said it was ready. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Readiness {

        static final AtomicReference<Training.Result> WARM_AT_READY = new AtomicReference<>();

        @Bean
        ApplicationListener<ApplicationEvent> warmAtReady(WarmStart warmStart) {
            return event -> {
                if (event instanceof AvailabilityChangeEvent<?> change
                        && change.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
                    WARM_AT_READY.set(warmStart.done());
                }
            };
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = {
            TertuliaApplication.class, Readiness.class }, properties = {
            "tertulia.warm-start.rounds=2", "tertulia.warm-start.clients=40" })
    class Completed {

        @LocalServerPort
        int port;

        @Autowired
        WarmStart warmStart;

        @Test
        void crowdsSignedInAndTalkedBeforeTheNodeWasReady() {
            Training.Result done = warmStart.done();
            assertThat(done).isNotNull();
            assertThat(done.connections()).isEqualTo(80);
            assertThat(done.signIns()).isEqualTo(80);
            // 10 senders x 10 lines a round, each heard by all 40 of its round.
            assertThat(done.messagesSent()).isEqualTo(2 * 10 * 10);
            assertThat(done.messagesReceived()).isEqualTo(2L * 40 * 10 * 10);
            assertThat(done.pages()).isZero();
            assertThat(Readiness.WARM_AT_READY.get()).isSameAs(done);
        }

        @Test
        void theNodesRoomItsIdsAndItsMetricsNeverSawThem() {
            URI chat = ServerUnderTest.onPort(port).chat();
            try (ChatClient ann = ChatClient.connect(chat)) {
                // The node's first connection: the warm start's 80 took no id of the node's.
                assertThat(ann.id()).isEqualTo(1);
                ann.signIn("ann");
                // Every warm-up client is gone, and none was ever in this room: no rejectusername
                // for "trainee-0", no one else on the list.
                ann.awaitUserlist(List.of("ann"));
                try (ChatClient ben = ChatClient.signedIn(chat, "trainee-0")) {
                    ben.awaitUserlist(List.of("ann", "trainee-0"));
                }
                String metrics = Http.get(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).body();
                assertThat(Http.sample(metrics, "tertulia_frames_received_total{type=\"username\"}")).isEqualTo(2.0);
                assertThat(Http.sample(metrics, "tertulia_lines_broadcast_total{scope=\"room\"}")).isIn(0.0, Double.NaN);
                assertThat(metrics).doesNotContain(RehearsalEndpoint.PATH);
            }
        }

        @Test
        void itsEndpointIsShutOnceItIsOver() {
            try (RawWebSocket socket = RawWebSocket.open(port, RehearsalEndpoint.PATH,
                    Map.of(RehearsalEndpoint.SECRET_HEADER, "anything"))) {
                assertThat(socket.status()).isEqualTo(404);
            }
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "tertulia.warm-start.rounds=1", "tertulia.warm-start.clients=40", "tertulia.warm-start.step=1ms" })
    class GivenUp {

        @LocalServerPort
        int port;

        @Autowired
        WarmStart warmStart;

        @Test
        void theNodeStartsColdAndServes() {
            assertThat(warmStart.done()).isNull();
            assertThat(Http.get(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).status())
                    .isEqualTo(200);
            try (RawWebSocket socket = RawWebSocket.open(port, RehearsalEndpoint.PATH, Map.of())) {
                assertThat(socket.status()).isEqualTo(404);
            }
            URI chat = ServerUnderTest.onPort(port).chat();
            try (ChatClient ann = ChatClient.signedIn(chat, "ann")) {
                ann.awaitUserlist(List.of("ann"));
            }
        }
    }

    /** The endpoint itself, opened by hand on a node whose warm start is off (the tests' default). */
    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class Endpoint {

        @LocalServerPort
        int port;

        @Autowired
        RehearsalEndpoint rehearsal;

        @Test
        void letsInOnlyTheSecretAndKeepsItsRoomApart() {
            String secret = rehearsal.open();
            try {
                // One rehearsal at a time: a second opening is refused, and the first stays open.
                assertThatThrownBy(rehearsal::open).isInstanceOf(IllegalStateException.class);
                try (RawWebSocket none = RawWebSocket.open(port, RehearsalEndpoint.PATH, Map.of());
                     RawWebSocket wrong = RawWebSocket.open(port, RehearsalEndpoint.PATH,
                             Map.of(RehearsalEndpoint.SECRET_HEADER, secret.substring(1) + "x"))) {
                    assertThat(none.status()).isEqualTo(404);
                    assertThat(wrong.status()).isEqualTo(404);
                }
                URI chat = ServerUnderTest.onPort(port).chat();
                try (RawWebSocket inside = RawWebSocket.open(port, RehearsalEndpoint.PATH,
                        Map.of(RehearsalEndpoint.SECRET_HEADER, secret));
                     ChatClient ann = ChatClient.signedIn(chat, "ann")) {
                    assertThat(inside.status()).isEqualTo(101);
                    assertThat(inside.readFrame(ChatClient.WAIT).text()).contains("\"type\":\"id\"");
                    inside.sendText("{\"type\":\"username\",\"name\":\"ann\",\"id\":1,\"date\":0}");
                    // Its own room: "ann" is free there, and it sees only itself.
                    String answer = inside.readFrame(ChatClient.WAIT).text();
                    assertThat(answer).doesNotContain("rejectusername");
                    assertThat(rehearsal.connections()).isEqualTo(1);
                    ann.awaitUserlist(List.of("ann"));

                    // Closing the rehearsal closes what is still open in it, with 1001.
                    rehearsal.close();
                    assertThat(inside.awaitClose(Duration.ofSeconds(10))).isEqualTo(1001);
                    ann.say("still here");
                    ann.next(n -> n.path("text").asString().equals("still here"));
                    assertThat(ann.received()).filteredOn(n -> n.path("type").asString().equals("userlist"))
                            .allSatisfy(n -> assertThat(ChatClient.names(n)).containsExactly("ann"));
                }
                try (RawWebSocket after = RawWebSocket.open(port, RehearsalEndpoint.PATH,
                        Map.of(RehearsalEndpoint.SECRET_HEADER, secret))) {
                    assertThat(after.status()).isEqualTo(404);
                }
            } finally {
                rehearsal.close();
            }
        }
    }

    /** A node that serves TLS itself skips the warm start, says why, and is ready. */
    @Nested
    @ExtendWith(OutputCaptureExtension.class)
    class OverTls {

        @Test
        void isSkippedAndSaysWhy(CapturedOutput output) {
            List<String> args = new ArrayList<>(List.of("--server.port=0", "--tertulia.warm-start.rounds=1",
                    "--tertulia.warm-start.clients=20"));
            SelfSignedCertificate.create("dns:localhost").serverProperties("web")
                    .forEach((name, value) -> args.add("--" + name + "=" + value));
            try (ConfigurableApplicationContext node = new SpringApplicationBuilder(TertuliaApplication.class)
                    .run(args.toArray(String[]::new))) {
                assertThat(node.getBean(WarmStart.class).done()).isNull();
                assertThat(output).contains("warm start skipped: this node serves TLS itself");
            }
        }
    }
}
