package org.tertulia.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Reads {@code tertulia.cluster.mode} before anything is wired.
 *
 * <p>A value that names no mode stops the start at once, with Spring's usual report of the
 * setting and its value; without this the room would be wired for neither mode and the start
 * would fail later, on a missing bean, saying nothing about the setting.
 *
 * <p>In {@code memory} mode Spring Boot's Redis auto-configurations are excluded: they would
 * otherwise build a Lettuce client (Netty event loops, Reactor, their classes) that nothing
 * uses, tens of megabytes of a node that needs no outside service.
 *
 * <p>In every mode Lettuce's own observation of each command is excluded: it opens and closes
 * a span (and feeds {@code lettuce.*} timers) for every Redis call, which cost a cluster node
 * about 3% of its CPU under load, and {@code tertulia.cluster.redis.commands} already times
 * every call this server makes, by script.
 */
final class ClusterModeCheck implements EnvironmentPostProcessor, Ordered {

    static final String EXCLUDE = "spring.autoconfigure.exclude";

    /** Lettuce's observation of every command, excluded in every mode. */
    static final String LETTUCE_OBSERVATION =
            "org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration";

    /** Spring Boot 4's auto-configurations from spring-boot-data-redis, excluded in memory mode. */
    static final List<String> REDIS_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
            LETTUCE_OBSERVATION);

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        ClusterProperties.Mode mode = binder.bind("tertulia.cluster.mode", ClusterProperties.Mode.class)
                .orElse(ClusterProperties.Mode.MEMORY);
        // Whatever the operator excluded stays excluded: the merged list replaces it, in
        // whichever form (comma-separated or indexed) it was given.
        List<String> excluded = new ArrayList<>(binder.bind(EXCLUDE, Bindable.listOf(String.class)).orElse(List.of()));
        List<String> ours = mode == ClusterProperties.Mode.MEMORY ? REDIS_AUTO_CONFIGURATIONS : List.of(LETTUCE_OBSERVATION);
        ours.stream().filter(name -> !excluded.contains(name)).forEach(excluded::add);
        environment.getPropertySources().addFirst(
                new MapPropertySource("tertulia-excluded", Map.of(EXCLUDE, String.join(",", excluded))));
    }

    /** After the configuration files are read. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
