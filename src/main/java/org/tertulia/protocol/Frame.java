package org.tertulia.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One encoded server message, shared by every recipient of a broadcast: its JSON text and
 * that text's UTF-8 bytes, both made once, so no recipient costs an encoding.
 */
public record Frame(String json, byte[] utf8) {

    public static Frame of(String json) {
        return new Frame(json, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Size on the wire, without the WebSocket frame header. */
    public int bytes() {
        return utf8.length;
    }
}
