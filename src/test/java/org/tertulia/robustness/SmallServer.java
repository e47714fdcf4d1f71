package org.tertulia.robustness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The server most wire tests share (one Spring context for all of them): the default
 * limits of application.yml, except a cap of 5 connections, one extra allowed origin, a
 * listen backlog of 300 and a heartbeat fast enough to find a dead peer within seconds.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tertulia.web.max-connections=" + SmallServer.MAX_CONNECTIONS,
        "tertulia.web.allowed-origins=" + SmallServer.EXTRA_ORIGIN,
        "tertulia.web.accept-backlog=" + SmallServer.ACCEPT_BACKLOG,
        "tertulia.web.heartbeat.interval=500ms",
        "tertulia.web.heartbeat.timeout=1s" })
@interface SmallServer {

    int MAX_CONNECTIONS = 5;
    String EXTRA_ORIGIN = "https://chat.example.com";
    /** Not the default (1024), to show that the setting reaches the socket. */
    int ACCEPT_BACKLOG = 300;
}
