package org.tertulia.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.support.Eventually.eventually;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.tertulia.support.ChatClient;
import org.tertulia.support.Http;
import org.tertulia.support.RawWebSocket;
import org.tertulia.support.ServerUnderTest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator sees of a running node: health with liveness and readiness, Prometheus
 * metrics that follow what happens, only those two endpoints exposed, and one log line per
 * connection opened and closed that names the client (behind a trusted proxy, the address it
 * forwarded) and never what anyone wrote.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class OperationsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private ServerUnderTest server;

    @BeforeEach
    void server() {
        server = ServerUnderTest.onPort(port);
    }

    private URI at(String path) {
        return server.http().resolve(path);
    }

    private String metrics() {
        Http.Response response = Http.get(at("/actuator/prometheus"));
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    private double sample(String series) {
        return Http.sample(metrics(), series);
    }

    @Test
    void healthSaysUpWithLivenessAndReadinessGroups() {
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            Http.Response response = Http.get(at(path));
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("status").asString()).as(path).isEqualTo("UP");
        }
        JsonNode readiness = JSON.readTree(Http.get(at("/actuator/health/readiness")).body());
        assertThat(readiness.path("components").propertyNames()).contains("readinessState", "room");
    }

    @Test
    void onlyHealthAndPrometheusAreExposed() {
        JsonNode links = JSON.readTree(Http.get(at("/actuator")).body()).path("_links");
        assertThat(links.propertyNames()).allMatch(name -> name.equals("self") || name.startsWith("health")
                || name.equals("prometheus"));
        for (String path : List.of("/actuator/env", "/actuator/beans", "/actuator/metrics", "/actuator/heapdump")) {
            assertThat(Http.get(at(path)).status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void metricsFollowWhatHappensInTheRoom() {
        double linesBefore = sample("tertulia_lines_broadcast_total{scope=\"room\"}");
        double deliveriesBefore = sample("tertulia_deliveries_total");
        double bytesBefore = sample("tertulia_sent_bytes_total");
        double badJsonBefore = sample("tertulia_frames_refused_total{code=\"bad-json\"}");
        double messagesBefore = sample("tertulia_frames_received_total{type=\"message\"}");
        double leftBefore = sample("tertulia_closes_total{reason=\"left\"}");
        double listsBefore = sample("tertulia_userlists_sent_total");
        try (ChatClient ann = ChatClient.signedIn(server.chat(), "metric-ann");
             ChatClient ben = ChatClient.signedIn(server.chat(), "metric-ben")) {
            ann.awaitUserlist(List.of("metric-ann", "metric-ben"));
            eventually("two connections and two users counted").until(() ->
                    sample("tertulia_connections_open") >= 2 && sample("tertulia_users_signed_in") >= 2);
            ann.say("counted");
            ben.next(f -> f.path("text").asString().equals("counted"));
            ann.sendJson("not json");
            ann.next("error");
            String page = metrics();
            assertThat(Http.sample(page, "tertulia_lines_broadcast_total{scope=\"room\"}")).isEqualTo(linesBefore + 1);
            assertThat(Http.sample(page, "tertulia_frames_received_total{type=\"message\"}"))
                    .isEqualTo(messagesBefore + 1);
            assertThat(Http.sample(page, "tertulia_frames_refused_total{code=\"bad-json\"}")).isEqualTo(badJsonBefore + 1);
            // The line went to both, each a frame of the same bytes; lists and notices count too.
            assertThat(Http.sample(page, "tertulia_deliveries_total")).isGreaterThanOrEqualTo(deliveriesBefore + 2);
            assertThat(Http.sample(page, "tertulia_sent_bytes_total")).isGreaterThan(bytesBefore);
            assertThat(Http.sample(page, "tertulia_userlists_sent_total")).isGreaterThan(listsBefore);
            assertThat(Http.sample(page, "tertulia_outbox_max_queued_bytes")).isNotNaN();
        }
        eventually("both goodbyes counted").until(() -> sample("tertulia_closes_total{reason=\"left\"}") >= leftBefore + 2);
    }

    @Test
    void aHandshakeIsNotTimedAsAnHttpRequestButOtherRequestsAre() {
        Http.get(at("/"));
        try (ChatClient cleo = ChatClient.signedIn(server.chat(), "metric-cleo")) {
            cleo.awaitUserlist(List.of("metric-cleo"));
            String page = metrics();
            assertThat(page).contains("http_server_requests_seconds_count{");
            assertThat(page.lines().filter(line -> line.startsWith("http_server_requests_seconds_count{")))
                    .noneMatch(line -> line.contains("status=\"101\""));
        }
    }

    @Test
    void aForeignOriginIsCountedAsARefusedHandshake() {
        double before = sample("tertulia_handshakes_refused_total{reason=\"origin\"}");
        try (RawWebSocket socket = RawWebSocket.open(port, Map.of("Origin", "https://evil.example"))) {
            assertThat(socket.status()).isEqualTo(403);
        }
        assertThat(sample("tertulia_handshakes_refused_total{reason=\"origin\"}")).isEqualTo(before + 1);
    }

    @Test
    void eachConnectionIsLoggedOpeningAndClosingWithoutWhatWasSaid(CapturedOutput output) {
        long id;
        try (ChatClient cleo = ChatClient.signedIn(server.chat(), "log-cleo")) {
            id = cleo.id();
            cleo.say("a secret nobody logs");
            cleo.next(f -> f.path("text").asString().equals("a secret nobody logs"));
            assertThat(output.getOut()).contains("connection " + id + " opened from 127.0.0.1");
        }
        eventually("the close logged").until(() -> output.getOut().contains("connection " + id + " closed: 1000 "));
        assertThat(output.getAll()).doesNotContain("a secret nobody logs");
    }

    @Test
    void behindATrustedProxyTheLogNamesTheForwardedClient(CapturedOutput output) {
        // The test connects from 127.0.0.1, a trusted proxy by default; what it forwards is believed,
        // back to the first hop that is not a trusted proxy itself.
        try (RawWebSocket socket = RawWebSocket.open(port, Map.of("X-Forwarded-For", "198.51.100.7, 203.0.113.9, 10.1.2.3"))) {
            assertThat(socket.status()).isEqualTo(101);
            JsonNode id = JSON.readTree(socket.readFrame(Duration.ofSeconds(10)).text());
            eventually("the open logged").until(() -> output.getOut()
                    .contains("connection " + id.path("id").asLong() + " opened from 203.0.113.9"));
        }
    }
}
