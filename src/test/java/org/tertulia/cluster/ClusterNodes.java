package org.tertulia.cluster;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.tertulia.TertuliaApplication;
import org.tertulia.support.ForkedServer;
import org.tertulia.support.ServerUnderTest;

/** Tertulia nodes in cluster mode against one test Redis: in this JVM, or as a separate process. */
public final class ClusterNodes {

    /** Short enough that fault tests are quick; the heartbeat runs every third of it. */
    static final String NODE_TTL = "2s";

    private ClusterNodes() {
    }

    static List<String> settings(RedisServer redis) {
        return List.of(
                "tertulia.cluster.mode=redis",
                "tertulia.cluster.node-ttl=" + NODE_TTL,
                "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + redis.port(),
                "spring.data.redis.timeout=1s",
                "spring.data.redis.connect-timeout=1s",
                "spring.lifecycle.timeout-per-shutdown-phase=2s");
    }

    /** A node in this JVM, on a free port. Settings go as arguments: they must win over application.yml. */
    public static InJvm start(RedisServer redis) {
        return start(redis, List.of());
    }

    /** As {@link #start(RedisServer)}, with {@code more} settings ("name=value") after the cluster's. */
    public static InJvm start(RedisServer redis, List<String> more) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=0");
        for (String setting : settings(redis)) {
            args.add("--" + setting);
        }
        for (String setting : more) {
            args.add("--" + setting);
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TertuliaApplication.class)
                .run(args.toArray(String[]::new));
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new InJvm(context, ServerUnderTest.onPort(port));
    }

    public record InJvm(ConfigurableApplicationContext context, ServerUnderTest server) implements AutoCloseable {

        URI chat() {
            return server.chat();
        }

        @Override
        public void close() {
            context.close();
        }
    }

    /** A node in its own JVM, so a test can kill it as abruptly as a crash (SIGKILL). */
    static ForkedServer fork(RedisServer redis) throws IOException {
        return ForkedServer.start(ForkedServer.freePort(), settings(redis).stream().map(s -> "--" + s)
                .toArray(String[]::new));
    }
}
