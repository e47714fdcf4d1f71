package org.tertulia.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.support.Eventually.eventually;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tertulia.support.ChatClient;
import org.tertulia.support.ForkedServer;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server started with {@code logging.structured.format.console=ecs}, as an operator turns
 * JSON logs on, in a JVM of its own (logging is set up once per JVM, so a test JVM that has
 * started other contexts cannot show it): every line it prints is one JSON object with the
 * Elastic Common Schema fields a log pipeline relies on, the connection lines included.
 */
class StructuredLogIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ForkedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ForkedServer.start(ForkedServer.freePort(), "--logging.structured.format.console=ecs");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Every line printed so far, parsed; fails on a line that is not one JSON object. */
    private static List<JsonNode> lines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : server.log().split("\n")) {
            // The launcher prints these notes before any Java code runs, so no logging setting
            // can shape them; they appear only when those variables are set (some CI machines).
            if (line.isBlank() || line.startsWith("Picked up JAVA_TOOL_OPTIONS:")
                    || line.startsWith("Picked up _JAVA_OPTIONS:") || line.startsWith("NOTE: Picked up JDK_JAVA_OPTIONS:")) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as("one JSON object per line: " + line).isTrue();
                lines.add(node);
            } catch (JacksonException e) {
                throw new AssertionError("a line that is not JSON: " + line, e);
            }
        }
        return lines;
    }

    private static Optional<JsonNode> line(Predicate<JsonNode> matching) {
        return lines().stream().filter(matching).findFirst();
    }

    private static Predicate<JsonNode> from(String logger, String message) {
        return node -> logger.equals(node.path("log").path("logger").asString())
                && node.path("message").asString().matches(message);
    }

    @Test
    void everyLineIsOneEcsJsonObject() {
        JsonNode started = line(from("org.tertulia.TertuliaApplication", "Started TertuliaApplication in .*"))
                .orElseThrow(() -> new AssertionError("no 'Started' line in:\n" + server.log()));
        assertThat(Instant.parse(started.path("@timestamp").asString())).isBefore(Instant.now());
        assertThat(started.path("log").path("level").asString()).isEqualTo("INFO");
        assertThat(started.path("process").path("pid").asLong()).isEqualTo(server.process().pid());
        assertThat(started.path("process").path("thread").path("name").asString()).isEqualTo("main");
        assertThat(started.path("service").path("name").asString()).as("spring.application.name").isEqualTo("tertulia");
        assertThat(started.path("ecs").path("version").asString()).isNotEmpty();

        for (JsonNode node : lines()) {
            assertThat(node.path("@timestamp").asString()).as(node.toString()).isNotEmpty();
            assertThat(node.path("log").path("level").asString()).as(node.toString()).isNotEmpty();
            assertThat(node.path("log").path("logger").asString()).as(node.toString()).isNotEmpty();
            assertThat(node.has("message")).as(node.toString()).isTrue();
        }
    }

    /**
     * One connection opened and closed gives its two lines, each one JSON object with its own
     * logger. Needs {@code org.tertulia.web.ConnectionLog}'s lines; fails without them.
     */
    @Test
    void aConnectionOpenedAndClosedLogsTwoEcsLines() {
        long id;
        try (ChatClient client = ChatClient.connect(server.server().chat())) {
            id = client.id();
        }
        String logger = "org.tertulia.web.ConnectionLog";
        eventually("the close of connection " + id + " logged")
                .until(() -> line(from(logger, "connection " + id + " closed: .*")).isPresent());

        JsonNode opened = line(from(logger, "connection " + id + " opened from .*")).orElseThrow();
        assertThat(opened.path("message").asString()).isEqualTo("connection " + id + " opened from 127.0.0.1");
        assertThat(opened.path("log").path("level").asString()).isEqualTo("INFO");

        JsonNode closed = line(from(logger, "connection " + id + " closed: .*")).orElseThrow();
        // The client closes with 1000 "bye"; the server adds how long it lasted and who it was.
        assertThat(closed.path("message").asString())
                .matches("connection " + id + " closed: 1000 bye after \\d+\\.\\d s \\(from 127\\.0\\.0\\.1\\)");
        assertThat(closed.path("log").path("level").asString()).isEqualTo("INFO");
        assertThat(Instant.parse(closed.path("@timestamp").asString()))
                .isAfterOrEqualTo(Instant.parse(opened.path("@timestamp").asString()));
    }
}
