package org.tertulia.robustness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tertulia.support.ChatClient;

import tools.jackson.databind.JsonNode;

/** Small helpers the wire tests share: reading what a client saw. */
final class Wire {

    private Wire() {
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
