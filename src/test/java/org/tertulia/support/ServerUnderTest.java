package org.tertulia.support;

import java.net.URI;

/** Where the server under test answers: {@code http://127.0.0.1:PORT} and its {@code /chat} socket. */
public record ServerUnderTest(URI http) {

    /** {@code -Dtertulia.it.base-url=http://host:port} points tests at a server already running (e.g. the Docker image). */
    public static final String BASE_URL_PROPERTY = "tertulia.it.base-url";

    public static ServerUnderTest onPort(int port) {
        return new ServerUnderTest(URI.create("http://127.0.0.1:" + port));
    }

    public URI chat() {
        String base = http.toString().replaceFirst("^http", "ws");
        return URI.create(base.replaceAll("/$", "") + "/chat");
    }
}
