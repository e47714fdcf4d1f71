package org.tertulia.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.chromium.HasCdp;

/**
 * The test plays the server: the page's {@code WebSocket} is replaced, before any of its
 * scripts run, by a stand-in ({@code e2e/scripted-socket.js}) that hands the test every
 * frame the page sends and delivers the frames the test writes. For checking the page
 * against frames a server may not send yet, and against closes a real one cannot be made
 * to send on cue.
 */
final class ScriptedSocket {

    private static final String SOURCE = read("/e2e/scripted-socket.js");

    private final ChatPage page;

    ScriptedSocket(ChatPage page) {
        this.page = page;
    }

    /** Installs the stand-in in every document the browser loads from now on. */
    static void installIn(Browser browser) {
        ((HasCdp) browser.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", SOURCE));
    }

    ChatPage page() {
        return page;
    }

    /** Delivers one frame (JSON) on the page's newest socket. */
    void deliver(String json) {
        page.script("window.__scriptedSocket.current().deliver(JSON.parse(arguments[0]))", json);
    }

    /** Closes the page's newest socket as the server or the network would, with {@code code}. */
    void close(int code) {
        page.script("window.__scriptedSocket.current().closeWith(arguments[0])", code);
    }

    /** While on, every new socket fails its handshake (close 1006), as with the server unreachable. */
    void refuse(boolean on) {
        page.script("window.__scriptedSocket.refuse = arguments[0]", on);
    }

    /** Pins the page's Math.random, so the backoff's full jitter draws {@code value} (in [0, 1)). */
    void pinRandom(double value) {
        page.script("window.__scriptedSocket.random = arguments[0]", value);
    }

    /** Sockets the page has opened (or tried to) since it loaded. */
    int sockets() {
        return ((Number) page.script("return window.__scriptedSocket.sockets.length")).intValue();
    }

    /** Waits until the page's socket number {@code n} (counting from 1) is open. */
    void awaitOpen(int n) {
        page.await().withMessage("socket " + n + " open").until(d -> (Boolean) page.script(
                "const s = window.__scriptedSocket.sockets[arguments[0] - 1]; return !!s && s.readyState === 1", n));
    }

    /** Waits, at most {@code within}, until the page has opened at least {@code n} sockets. */
    void awaitSockets(int n, Duration within) {
        page.awaitWithin(within, "at least " + n + " sockets", () -> sockets() >= n);
    }

    /** Waits for the first frame of {@code type} the page sent on its socket number {@code n}, and returns it. */
    @SuppressWarnings("unchecked")
    Map<String, Object> awaitSent(int n, String type) {
        return page.await().withMessage("a " + type + " frame on socket " + n).until(d -> {
            List<Map<String, Object>> sent = (List<Map<String, Object>>) page.script(
                    "return window.__scriptedSocket.sent.filter(s => s.socket === arguments[0] - 1).map(s => s.frame)", n);
            return sent.stream().filter(f -> type.equals(f.get("type"))).findFirst().orElse(null);
        });
    }

    // ---- frames, as the protocol (v2) spells them ----

    static String id(long id) {
        return "{\"type\":\"id\",\"id\":" + id + "}";
    }

    static String session(long id, String token, boolean resumed, boolean missed) {
        return "{\"type\":\"session\",\"id\":" + id + ",\"token\":" + quote(token) + ",\"resumed\":" + resumed
                + ",\"missed\":" + missed + "}";
    }

    static String signedIn(long id, String name, long pos) {
        return "{\"type\":\"username\",\"id\":" + id + ",\"name\":" + quote(name) + ",\"date\":" + now() + ",\"pos\":"
                + pos + "}";
    }

    static String renamed(long id, String previous, String name, long pos) {
        return "{\"type\":\"username\",\"id\":" + id + ",\"name\":" + quote(name) + ",\"previous\":" + quote(previous)
                + ",\"date\":" + now() + ",\"pos\":" + pos + "}";
    }

    static String left(long id, String name, long pos) {
        return "{\"type\":\"leave\",\"id\":" + id + ",\"name\":" + quote(name) + ",\"date\":" + now() + ",\"pos\":"
                + pos + "}";
    }

    static String userlist(String... names) {
        StringBuilder json = new StringBuilder("{\"type\":\"userlist\",\"users\":[");
        for (int i = 0; i < names.length; i++) {
            json.append(i == 0 ? "" : ",").append(quote(names[i]));
        }
        return json.append("]}").toString();
    }

    static String said(long id, String name, String text, long pos) {
        return "{\"type\":\"message\",\"id\":" + id + ",\"name\":" + quote(name) + ",\"text\":" + quote(text)
                + ",\"date\":" + now() + ",\"pos\":" + pos + "}";
    }

    static String replayed(long id, String name, String text, long pos) {
        return said(id, name, text, pos).replaceFirst("}$", ",\"history\":true}");
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** A JSON string; the tests write plain text, so quotes and backslashes are all there is to escape. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String read(String resource) {
        try (InputStream in = ScriptedSocket.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
