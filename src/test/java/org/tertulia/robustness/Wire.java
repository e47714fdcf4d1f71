package org.tertulia.robustness;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.tertulia.support.ChatClient;

import tools.jackson.databind.JsonNode;

/** Small helpers the wire tests share: waiting for a condition, reading what a client saw. */
final class Wire {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    private Wire() {
    }

    /** Polls until {@code condition} holds; fails after {@code timeout} naming what was awaited. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, condition, () -> "");
    }

    static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<Object> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + " " + state.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The frames {@code client} received after it had received {@code mark} frames. */
    static List<JsonNode> since(ChatClient client, int mark) {
        return client.receivedFrom(mark);
    }

    static String type(JsonNode frame) {
        return frame.path("type").asString();
    }

    static boolean isError(JsonNode frame, String code) {
        return type(frame).equals("error") && frame.path("code").asString().equals(code);
    }

    static boolean isMessage(JsonNode frame, String text) {
        return type(frame).equals("message") && frame.path("text").asString().equals(text);
    }

    /** Header pairs, in order: {@code headers("Origin", "http://x")}. */
    static Map<String, String> headers(String... pairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            headers.put(pairs[i], pairs[i + 1]);
        }
        return headers;
    }
}
