package org.tertulia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** A setting out of its bounds stops the start, and the operator is told which setting and why. */
@ExtendWith(OutputCaptureExtension.class)
class SettingsTest {

    @ParameterizedTest
    @CsvSource({
        "tertulia.room.max-text-length, 0, must be greater than 0",
        "tertulia.room.rate.flood-limit, -1, must be greater than 0",
        "tertulia.room.history-size, -1, must be greater than or equal to 0",
        "tertulia.room.userlist-bandwidth, 0B, must be greater than 0",
        "tertulia.web.max-frame-size, 0KB, must be greater than 0",
        "tertulia.web.heartbeat.interval, 0s, must be greater than 0",
        "tertulia.web.outbox.send-timeout, -1s, must be greater than 0",
        "tertulia.web.outbox.linger, -1ms, must be greater than or equal to 0",
        "tertulia.web.outbox.linger-per-member, -1us, must be greater than or equal to 0",
        "tertulia.web.max-connections, 0, must be greater than 0",
        "tertulia.cluster.node-ttl, 0ms, must be greater than 0",
        "tertulia.warm-start.rounds, -1, must be greater than or equal to 0",
        "tertulia.warm-start.clients, 1, must be greater than or equal to 2",
        "tertulia.warm-start.step, 0s, must be greater than 0" })
    void aLimitOutOfBoundsStopsTheStartNamingTheSetting(String setting, String value, String reason,
            CapturedOutput output) {
        assertThatThrownBy(() -> start("--" + setting + "=" + value)).isInstanceOf(RuntimeException.class);
        // Spring names the record component (maxTextLength); the origin line, when there is one, the setting as written.
        assertThat(output).contains("Property: " + camelCase(setting)).contains("Reason: " + reason);
    }

    @Test
    void anUnknownClusterModeStopsTheStartNamingTheSetting(CapturedOutput output) {
        assertThatThrownBy(() -> start("--tertulia.cluster.mode=raft")).isInstanceOf(RuntimeException.class);
        assertThat(output).contains("Property: tertulia.cluster.mode").contains("Value: \"raft\"");
    }

    @Test
    void theDefaultsStartAServer() {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.isRunning()).isTrue();
        }
    }

    @Test
    void aMemoryNodeBuildsNoRedisClientAndKeepsTheOperatorsExclusions() {
        try (ConfigurableApplicationContext context = start(
                "--spring.autoconfigure.exclude=org.springframework.boot.micrometer.metrics.autoconfigure.jvm.JvmMetricsAutoConfiguration")) {
            assertThat(context.getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
            assertThat(context.getBeanNamesForType(JvmGcMetrics.class)).isEmpty();
        }
    }

    /** The setting with its last name in camel case, as Spring names a record's component. */
    private static String camelCase(String setting) {
        int last = setting.lastIndexOf('.') + 1;
        StringBuilder out = new StringBuilder(setting.substring(0, last));
        for (int i = last; i < setting.length(); i++) {
            char c = setting.charAt(i);
            out.append(c == '-' ? Character.toUpperCase(setting.charAt(++i)) : c);
        }
        return out.toString();
    }

    private static ConfigurableApplicationContext start(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--server.port=0";
        System.arraycopy(args, 0, all, 1, args.length);
        return new SpringApplicationBuilder(TertuliaApplication.class).run(all);
    }
}
